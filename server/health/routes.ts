// Probes for the reverse proxy and the process supervisor. /healthz: the process answers (restart
// it if not). /readyz: it can serve — the database answers within 2 s and holds every migration
// this code needs (send it no traffic if not). Plain text, never cached, no session.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { sql } from 'drizzle-orm';
import { migrationsCurrent } from '../db/migrate.ts';
import type { FeatureOptions } from '../plugins/feature.ts';

const READY_WITHIN_MS = 2000;

function probeAnswer(reply: FastifyReply, status: number, text: string) {
  return reply.status(status).header('Cache-Control', 'no-store').type('text/plain; charset=utf-8').send(`${text}\n`);
}

/** Resolves with the check's answer, or with `late` after `ms` (the check is left to finish). */
function within<T>(ms: number, check: Promise<T>, late: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(late), ms)));
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}

const healthRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db }) => {
  app.get('/healthz', async (_request, reply) => probeAnswer(reply, 200, 'ok'));

  app.get('/readyz', async (request, reply) => {
    const check = (async () => {
      await db.execute(sql`select 1`);
      return (await migrationsCurrent(db)) ? 'ready' : 'migrations';
    })().catch((error: unknown) => {
      request.log.warn({ err: error }, 'readiness: database unreachable');
      return 'database' as const;
    });
    const state = await within(READY_WITHIN_MS, check, 'late' as const);
    if (state === 'ready') return probeAnswer(reply, 200, 'prêt');
    if (state === 'migrations') return probeAnswer(reply, 503, 'pas prêt : des migrations de la base ne sont pas appliquées');
    return probeAnswer(reply, 503, state === 'late' ? 'pas prêt : la base de données ne répond pas à temps' : 'pas prêt : la base de données est injoignable');
  });
};

export default healthRoutes;
