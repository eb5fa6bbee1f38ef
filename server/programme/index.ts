export { publicCacheFor } from './cache.ts';
export { findCurrentEdition } from './current-edition.ts';
export { databaseSnapshot } from './data-version.ts';
export { NO_FILTERS, PAGE_SIZE, filtersQueryString, filtersToSearchParams, parseProgrammeFilters, programmeHref, type RawQuery } from './filters.ts';
export { currentEdition, editionDates, editionDays, editionFacets, eventPageData } from './pages.ts';
export { capitalise, presentEvent } from './present.ts';
export { getPublicEvent, type PublicEvent } from './public-event.ts';
export { PAGE_CACHE_CONTROL, STALE_CACHE_CONTROL, default as programmeRoutes } from './routes.ts';
export { loadProgrammeFacets, programmeConditions } from './search.ts';
