// Accounts over HTTP, one plugin per resource: sign-in and sign-out, the signed-in home, one
// organisation with its members, and the administration. Each checks who may act in its own hook.
import type { FastifyPluginAsync } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import adminRoutes from './admin-routes.ts';
import homeRoutes from './home-routes.ts';
import organisationRoutes from './organisation-routes.ts';
import signInRoutes from './sign-in-routes.ts';

const accountsRoutes: FastifyPluginAsync<FeatureOptions> = async (app, opts) => {
  await app.register(signInRoutes, opts);
  await app.register(homeRoutes, opts);
  await app.register(organisationRoutes, opts);
  await app.register(adminRoutes, opts);
};

export default accountsRoutes;
