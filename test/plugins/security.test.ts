// @databases: none
// Framing: only routes given framableRouteConfig may be framed, by the sites EMBED_FRAME_ANCESTORS
// names; every other route refuses (CSP and X-Frame-Options). The security plugin alone, no database.
import t from 'tap';
import Fastify from 'fastify';
import type { DatabaseHandle } from '../../server/db/client.ts';
import securityPlugin, { framableRouteConfig } from '../../server/plugins/security.ts';
import { testConfig } from '../helpers/app.ts';

t.test('a configured list of sites becomes the frame-ancestors of framable routes only', async (t) => {
  const config = testConfig({ EMBED_FRAME_ANCESTORS: 'https://www.ville.fr, https://*.exemple.org', PUBLIC_URL: 'https://sism.example.org' });
  const app = Fastify();
  t.teardown(() => app.close());
  // The embedded database's handle: the rate-limit counts stay in memory, the database is never read.
  await app.register(securityPlugin, { config, database: { kind: 'pglite' } as DatabaseHandle });
  app.get('/cadrable', { config: framableRouteConfig(config) }, async () => 'ok');
  app.get('/autre', async () => 'ok');

  const framable = await app.inject({ url: '/cadrable' });
  const csp = String(framable.headers['content-security-policy']);
  t.match(csp, /(^|;)frame-ancestors https:\/\/www\.ville\.fr https:\/\/\*\.exemple\.org(;|$)/);
  t.match(csp, /(^|;)script-src 'self'(;|$)/, 'the rest of the policy is the same');
  t.match(csp, /(^|;)upgrade-insecure-requests(;|$)/);
  t.notOk(framable.headers['x-frame-options']);
  t.match(framable.headers['strict-transport-security'], 'max-age=31536000', 'the other headers stay');

  const other = await app.inject({ url: '/autre' });
  t.match(other.headers['content-security-policy'], /(^|;)frame-ancestors 'none'(;|$)/);
  t.equal(other.headers['x-frame-options'], 'SAMEORIGIN');
});
