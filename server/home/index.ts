export { default as homeRoutes } from './routes.ts';
