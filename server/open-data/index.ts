export { OPEN_DATA_PAGE_PATH, programmeDataLinks, type OpenDataLink } from './links.ts';
export { default as openDataRoutes } from './routes.ts';
