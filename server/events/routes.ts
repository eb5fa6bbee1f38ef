// Events over HTTP, one plugin per resource, each checking in its own hook who may act on the
// object its URLs name (access.ts): an organisation's proposals and venues, one event for its
// organisation, a territory's coordination, the review of one event. Thin: parse (schemas.ts),
// call the services, render or redirect with 303.
import type { FastifyPluginAsync } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import coordinationRoutes from './coordination-routes.ts';
import organiserRoutes from './organiser-routes.ts';
import proposalRoutes from './proposal-routes.ts';
import reviewRoutes from './review-routes.ts';
import venueRoutes from './venue-routes.ts';

const eventsRoutes: FastifyPluginAsync<FeatureOptions> = async (app, opts) => {
  await app.register(proposalRoutes, opts);
  await app.register(organiserRoutes, opts);
  await app.register(venueRoutes, opts);
  await app.register(coordinationRoutes, opts);
  await app.register(reviewRoutes, opts);
};

export default eventsRoutes;
