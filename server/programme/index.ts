export { publicCacheFor, separatePublicCache, type PublicCache } from './cache.ts';
export { findCurrentEdition } from './current-edition.ts';
export { databaseSnapshot } from './data-version.ts';
export { ALL_ON_ONE_PAGE_MAX, NO_FILTERS, PAGE_SIZE, activeFilters, filtersQueryString, filtersToSearchParams, parseFeedFilters, parseProgrammeFilters, programmeHref, type ProgrammeFilters, type RawQuery } from './filters.ts';
export {
  LICENCE,
  OPEN_DATA_FORMATS,
  OPEN_DATA_MEDIA_TYPES,
  OPEN_DATA_PAGE_PATH,
  OPEN_DATA_SCHEMA_PATH,
  organisationDataPath,
  programmeDataPath,
  territoryDataPath,
  type OpenDataFormat,
} from './data-links.ts';
export { currentEdition, editionDates, editionDays, editionFacets, eventPageData, type PublicPagesDeps } from './pages.ts';
export { capitalise, countEvents, groupByDay, httpUrl, presentEvent, type AccessTag, type DayGroup, type ProgrammeItem } from './present.ts';
export { getPublicEvent, publicEventColumns, type PublicEvent } from './public-event.ts';
export { PAGE_CACHE_CONTROL, STALE_CACHE_CONTROL, default as programmeRoutes } from './routes.ts';
export { loadProgrammeFacets, programmeConditions, programmeOrder, searchProgramme, type ProgrammeScope } from './search.ts';
export { placesLeft } from './rules.ts';
export { default as embedRoutes } from './embed-routes.ts';
