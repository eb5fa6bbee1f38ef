export { default as cockpitRoutes } from './routes.ts';
