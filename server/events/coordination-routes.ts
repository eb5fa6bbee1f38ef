// A territory's coordination: the overview of its programme and the queue of proposals to read.
// For its coordinators (and administrators), checked once in the hook.
import type { FastifyPluginAsync } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { signedInWith } from '../accounts/index.ts';
import { EVENT_STATE_LABELS } from '../domain/vocabulary.ts';
import { formatCalendarDay } from '../lib/time.ts';
import { t } from '../i18n/index.ts';
import { takeFlash } from '../plugins/flash.ts';
import { idParam } from '../plugins/params.ts';
import { openCallCounts } from '../registrations/index.ts';
import { territoryForCoordinator } from './access.ts';
import { coordinationOverview } from './overview.ts';
import { changeLines } from './present.ts';
import { proposalQueue } from './queries.ts';
import { editionView } from './view-models.ts';

const coordinationRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, clock }) => {
  const coordinator = signedInWith((request, user) => territoryForCoordinator(db, user, idParam(request, 'territoryId')));
  app.addHook('preHandler', coordinator.hook);

  app.get('/coordination/:territoryId', async (request, reply) => {
    const territory = coordinator.of(request);
    const year = Number((request.query as Record<string, unknown>).annee);
    const { editions, edition, overview } = await coordinationOverview(db, territory, year, clock.now());
    const calls = await openCallCounts(db, overview?.publishedEvents.map((e) => e.id) ?? []);
    return reply.page(
      'events/overview',
      {
        territory,
        editions,
        edition: edition ? editionView(edition) : null,
        overview,
        calls,
        stateLabels: EVENT_STATE_LABELS,
        formatDay: formatCalendarDay,
      },
      { title: t('events:overview.title', { territory: territory.name }), personal: true },
    );
  });

  app.get('/coordination/:territoryId/propositions', async (request, reply) => {
    const territory = coordinator.of(request);
    const queue = (await proposalQueue(db, territory.id)).map((item) => ({
      ...item,
      changeLines: item.changes ? changeLines(item.changes, territory.timeZone) : null,
    }));
    const flash = takeFlash(request);
    return reply.page('events/queue', { territory, queue, flash }, { title: t('events:queue.pageTitle', { territory: territory.name }), personal: true, statusMessage: flash });
  });
};

export default coordinationRoutes;
