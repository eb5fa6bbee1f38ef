export { default as bookletRoutes } from './routes.ts';
