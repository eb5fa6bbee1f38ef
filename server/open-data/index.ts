export { default as openDataRoutes } from './routes.ts';
