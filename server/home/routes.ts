// The home page (current edition, ways into the programme) and the information pages: how to
// register, the accessibility statement, personal data.
import type { FastifyPluginAsync } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { DEMO_ACCOUNTS } from '../demo/index.ts';
import { ACCESS_FEATURES, ACCESS_FEATURE_INFO } from '../domain/vocabulary.ts';
import { formatCalendarDay } from '../lib/time.ts';
import { t } from '../i18n/index.ts';
import { publicCacheFor, NO_FILTERS, programmeHref, currentEdition, editionDates, editionDays, editionFacets, capitalise, PAGE_CACHE_CONTROL, STALE_CACHE_CONTROL } from '../programme/index.ts';

const homeRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, config, clock }) => {
  const deps = { db, config, cache: publicCacheFor(db) };

  app.get('/', async (_request, reply) => {
    const freshness = await deps.cache.sync();
    const now = clock.now();
    const edition = await currentEdition(deps, now);
    const facets = edition?.hasEvents ? await editionFacets(deps, edition.id, now) : null;
    const entryPoints = facets
      ? {
          days: editionDays(edition!).map((day) => ({
            label: capitalise(formatCalendarDay(day).replace(/ \d{4}$/, '')),
            href: programmeHref({ ...NO_FILTERS, day }),
          })),
          access: ACCESS_FEATURES.filter((f) => f !== 'other').map((f) => ({
            feature: f,
            label: ACCESS_FEATURE_INFO[f].label,
            href: programmeHref({ ...NO_FILTERS, access: [f] }),
          })),
          communes: facets.communes.map((c) => ({ label: c, href: programmeHref({ ...NO_FILTERS, commune: c }) })),
        }
      : null;
    reply.header('Cache-Control', freshness === 'stale' ? STALE_CACHE_CONTROL : PAGE_CACHE_CONTROL);
    return reply.page(
      'home/index',
      {
        edition,
        editionDates: edition ? editionDates(edition) : null,
        eventCount: facets?.eventCount ?? 0,
        entryPoints,
        demoAccounts: config.demoData ? DEMO_ACCOUNTS : [],
      },
      { title: edition ? t('home:titles.homeYear', { year: edition.year }) : t('home:titles.home') },
    );
  });

  const info = { needsRetentionDays: config.needsRetentionDays, identityRetentionDays: config.identityRetentionDays, publicUrl: config.publicUrl };
  app.get('/comment-s-inscrire', async (_request, reply) => {
    reply.header('Cache-Control', PAGE_CACHE_CONTROL);
    return reply.page('home/comment-s-inscrire', info, { title: t('home:titles.howToRegister') });
  });
  app.get('/accessibilite', async (_request, reply) => {
    reply.header('Cache-Control', PAGE_CACHE_CONTROL);
    return reply.page('home/accessibilite', info, { title: t('home:titles.accessibility') });
  });
  app.get('/donnees-personnelles', async (_request, reply) => {
    reply.header('Cache-Control', PAGE_CACHE_CONTROL);
    return reply.page('home/donnees-personnelles', info, { title: t('home:titles.personalData') });
  });
};

export default homeRoutes;
