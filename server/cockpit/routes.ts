// « À traiter » (/espace/a-traiter): the first screen after sign-in. What the signed-in person
// coordinates and organises, never more: the lists are read for their own territories and
// organisations only.
import type { FastifyPluginAsync } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { coordinatedTerritories, currentUser, organisationsOfUser, requireSignIn } from '../accounts/index.ts';
import { NEED_STATUS_LABELS } from '../domain/vocabulary.ts';
import { outboxCounts } from '../mail/index.ts';
import { organisationAttention, territoryAttention } from './attention.ts';
import journalRoutes from './journal-routes.ts';
import { t } from '../i18n/index.ts';

const cockpitRoutes: FastifyPluginAsync<FeatureOptions> = async (app, options) => {
  const { db, clock } = options;
  await app.register(journalRoutes, options);
  app.get('/espace/a-traiter', { preHandler: requireSignIn }, async (request, reply) => {
    const user = currentUser(request);
    const now = clock.now();
    const [territories, organisations] = await Promise.all([coordinatedTerritories(db, user.id), organisationsOfUser(db, user.id)]);
    const [coordination, organising, failedMails] = await Promise.all([
      Promise.all(territories.map((t) => territoryAttention(db, t, now))),
      Promise.all(organisations.map((o) => organisationAttention(db, o, now))),
      user.isAdmin ? outboxCounts(db).then((c) => c.failed) : Promise.resolve(null),
    ]);
    return reply.page('cockpit/attention', { coordination, organising, failedMails, needLabels: NEED_STATUS_LABELS }, { title: t('cockpit:attention.title'), personal: true });
  });
};

export default cockpitRoutes;
