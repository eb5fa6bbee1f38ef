export { publicCacheFor, separatePublicCache, type PublicCache } from './cache.ts';
export { findCurrentEdition } from './current-edition.ts';
export { databaseSnapshot } from './data-version.ts';
export { ALL_ON_ONE_PAGE_MAX, NO_FILTERS, activeFilters, filtersQueryString, filtersToSearchParams, parseProgrammeFilters, programmeHref, type ProgrammeFilters, type RawQuery } from './filters.ts';
export { currentEdition, editionDates, editionDays, editionFacets, eventPageData } from './pages.ts';
export { capitalise, countEvents, groupByDay, presentEvent, type AccessTag, type DayGroup, type ProgrammeItem } from './present.ts';
export { getPublicEvent, type PublicEvent } from './public-event.ts';
export { PAGE_CACHE_CONTROL, STALE_CACHE_CONTROL, default as programmeRoutes } from './routes.ts';
export { loadProgrammeFacets, programmeConditions, searchProgramme, type ProgrammeScope } from './search.ts';
