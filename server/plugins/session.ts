// Server-side sessions in the database (revocable: deleting the row signs the person out),
// through @fastify/session with a drizzle store; `request.user` is the signed-in person or null.
import fp from 'fastify-plugin';
import fastifySession from '@fastify/session';
import type { Session } from 'fastify';
import { eq } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { appUser, session as sessionTable } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';

/** Signed out after this long without a request. */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
/** Signed out after this long whatever happens. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

export interface SessionUser {
  id: number;
  email: string;
  name: string | null;
  isAdmin: boolean;
}

declare module 'fastify' {
  interface Session {
    userId?: number;
    /** ISO time of sign-in, for the absolute timeout. */
    signedInAt?: string;
  }
  interface FastifyRequest {
    user: SessionUser | null;
  }
}

type Callback = (err?: unknown) => void;

export function sessionStore(db: Database, clock: Clock) {
  return {
    set(sid: string, data: Session, callback: Callback) {
      const expiresAt = new Date(clock.now().getTime() + SESSION_IDLE_MS);
      const row = { sid, userId: data.userId ?? null, data: JSON.parse(JSON.stringify(data)) as Record<string, unknown>, expiresAt };
      db.insert(sessionTable)
        .values(row)
        .onConflictDoUpdate({ target: sessionTable.sid, set: { data: row.data, userId: row.userId, expiresAt } })
        .then(() => callback(), callback);
    },
    get(sid: string, callback: (err: unknown, result?: Session | null) => void) {
      db.select()
        .from(sessionTable)
        .where(eq(sessionTable.sid, sid))
        .then(([row]) => {
          if (!row || row.expiresAt <= clock.now()) return callback(null, null);
          callback(null, row.data as unknown as Session);
        }, callback);
    },
    destroy(sid: string, callback: Callback) {
      db.delete(sessionTable)
        .where(eq(sessionTable.sid, sid))
        .then(() => callback(), callback);
    },
  };
}

export default fp(
  async (app, opts: { config: Config; db: Database; clock: Clock }) => {
    await app.register(fastifySession, {
      secret: opts.config.sessionSecret,
      cookieName: 'session',
      store: sessionStore(opts.db, opts.clock),
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        secure: opts.config.publicUrl.startsWith('https:'),
        maxAge: SESSION_IDLE_MS,
      },
    });

    app.decorateRequest('user', null);
    app.addHook('preHandler', async (request) => {
      const { userId, signedInAt } = request.session;
      if (userId === undefined) return;
      const tooOld = !signedInAt || opts.clock.now().getTime() - Date.parse(signedInAt) > SESSION_ABSOLUTE_MS;
      const [user] = tooOld
        ? []
        : await opts.db
            .select({ id: appUser.id, email: appUser.email, name: appUser.name, isAdmin: appUser.isAdmin })
            .from(appUser)
            .where(eq(appUser.id, userId));
      if (!user) {
        await request.session.destroy();
        return;
      }
      request.user = user;
    });
  },
  { name: 'session', dependencies: ['forms'] },
);
