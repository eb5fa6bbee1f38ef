export { default as reportsRoutes } from './routes.ts';
