// The programme on other sites: the embedded programme (the only pages other sites may frame),
// the script that fits its frame to its height, and « Intégrer le programme », where one picks
// filters and copies the snippet. Thin: pages come from pages.ts, the snippet from embed.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { staticDir } from '../plugins/assets.ts';
import { crossOriginScriptRouteConfig, framableRouteConfig } from '../plugins/security.ts';
import { publicCacheFor } from './cache.ts';
import { EMBED_PATH, EMBED_RESIZER_PATH, INTEGRATE_PATH, embedSnippet } from './embed.ts';
import type { RawQuery } from './filters.ts';
import { filterForm, programmeFilters, programmePage } from './pages.ts';
import { renderWith, sendPage } from './routes.ts';
import { t } from '../i18n/index.ts';

const embedRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, config, clock }) => {
  const deps = { db, config, cache: publicCacheFor(db) };
  const resizer = readFileSync(path.join(staticDir, 'js', 'embed-host.js'));

  app.get(EMBED_PATH, { config: framableRouteConfig(config) }, async (request, reply) => {
    const freshness = await deps.cache.sync();
    const { page } = await programmePage(deps, { query: request.query as RawQuery, now: clock.now(), fragment: false, embed: true, render: renderWith(reply) });
    return sendPage(request, reply, page, freshness, undefined, { standalone: true });
  });

  // Loaded by the host page, from its own origin: allowed cross-origin, unlike our other files.
  app.get(EMBED_RESIZER_PATH, { config: crossOriginScriptRouteConfig }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(resizer),
  );

  app.get(INTEGRATE_PATH, async (request, reply) => {
    await deps.cache.sync();
    const { edition, facets, filters, notices } = await programmeFilters(deps, request.query as RawQuery, clock.now());
    return reply.page(
      'programme/integrer',
      { edition, form: filterForm(edition, facets, filters), notices, snippet: embedSnippet(config, edition, filters), resizerPath: EMBED_RESIZER_PATH },
      { title: t('programme:titles.integrate') },
    );
  });
};

export default embedRoutes;
