// Sign-in by emailed link, and sign-out. Thin: parse, call the service, render or redirect (303).
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { formatNumber, t } from '../i18n/index.ts';
import { setFlash } from '../plugins/flash.ts';
import { renewCsrfSecret } from '../plugins/forms.ts';
import type { FieldError } from '../plugins/views.ts';
import { field, parseEmailForm, safeReturnPath, type FormBody } from './schemas.ts';
import { SIGN_IN_LINK_MS, consumeSignInToken, inspectSignInToken, requestSignIn, type TokenProblem } from './sign-in.ts';

// After sign-in, what needs the person now (server/cockpit), unless they were going elsewhere.
const FIRST_SCREEN = '/espace/a-traiter';

/**
 * Starts a signed-in session under a new id (an id planted before sign-in is worth nothing
 * after). When the previous session was just ended by a timeout there is none to regenerate:
 * a fresh one is made.
 */
async function startSession(app: FastifyInstance, request: FastifyRequest, userId: number, now: Date) {
  if (request.session) await request.session.regenerate();
  else await new Promise<void>((resolve, reject) => app.decryptSession('', request, (err?: unknown) => (err ? reject(err) : resolve())));
  request.session.userId = userId;
  request.session.signedInAt = now.toISOString();
}

const TOKEN_PROBLEM_STATUS: Record<TokenProblem, number> = { invalid: 400, used: 410, expired: 410 };

/** What a link problem page says, in the language of the request. */
function tokenProblemText(reason: TokenProblem): { status: number; title: string; message: string } {
  return { status: TOKEN_PROBLEM_STATUS[reason], title: t(`accounts:linkProblem.${reason}.title`), message: t(`accounts:linkProblem.${reason}.message`) };
}

const signInRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { config, db, clock }) => {
  /** Without SMTP the mails land in the local mailbox: say where. */
  const localMailbox = config.smtpUrl === undefined;

  function signInPage(reply: FastifyReply, data: { email?: string; returnTo?: string | null }, errors: FieldError[] = [], status?: number) {
    return reply.page(
      'accounts/sign-in',
      { email: data.email ?? '', returnTo: data.returnTo ?? '', minutes: SIGN_IN_LINK_MS / 60_000 },
      { title: t('accounts:signIn.title'), errors, status },
    );
  }

  function tokenProblem(reply: FastifyReply, reason: TokenProblem, returnTo: string | null) {
    const problem = tokenProblemText(reason);
    const retryUrl = returnTo ? `/connexion?retour=${encodeURIComponent(returnTo)}` : '/connexion';
    return reply.page('accounts/link-problem', { ...problem, retryUrl }, { title: problem.title, status: problem.status, personal: true });
  }

  app.get('/connexion', async (request, reply) => {
    const returnTo = safeReturnPath((request.query as Record<string, unknown>).retour);
    if (request.user) return reply.redirect(returnTo ?? FIRST_SCREEN, 303);
    return signInPage(reply, { returnTo });
  });

  app.post('/connexion', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = request.body as FormBody;
    const returnTo = safeReturnPath(field(body, 'retour'));
    const parsed = parseEmailForm(body);
    if (!parsed.ok) return signInPage(reply, { email: field(body, 'email'), returnTo }, parsed.errors);
    const result = await requestSignIn(db, { email: parsed.value.email, now: clock.now(), publicUrl: config.publicUrl, returnTo });
    if (!result.ok) {
      const wait = t('accounts:signIn.wait', { count: result.retryAfterMinutes, n: formatNumber(result.retryAfterMinutes) });
      reply.header('Retry-After', String(result.retryAfterMinutes * 60));
      return signInPage(
        reply,
        { email: field(body, 'email'), returnTo },
        [{ field: 'email', message: t('accounts:signIn.tooMany', { wait }) }],
        429,
      );
    }
    // The same answer whatever the address: nothing tells whether an account exists.
    return reply.redirect('/connexion/envoye', 303);
  });

  app.get('/connexion/envoye', async (_request, reply) =>
    reply.page('accounts/sign-in-sent', { minutes: SIGN_IN_LINK_MS / 60_000, localMailbox }, { title: t('accounts:signInSent.title') }),
  );

  // Opening the link only shows a button: mail scanners open every link, and must not sign in.
  app.get('/connexion/lien', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const token = typeof query.jeton === 'string' ? query.jeton : '';
    const returnTo = safeReturnPath(query.retour);
    const state = await inspectSignInToken(db, token, clock.now());
    if (!state.ok) return tokenProblem(reply, state.reason, returnTo);
    reply.header('Referrer-Policy', 'no-referrer');
    return reply.page('accounts/link', { token, returnTo: returnTo ?? '', email: state.email }, { title: t('accounts:link.title'), personal: true });
  });

  app.post('/connexion/lien', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = request.body as FormBody;
    const returnTo = safeReturnPath(field(body, 'retour'));
    const now = clock.now();
    const result = await consumeSignInToken(db, field(body, 'jeton'), now);
    if (!result.ok) return tokenProblem(reply, result.reason, returnTo);
    await startSession(app, request, result.user.id, now);
    renewCsrfSecret(reply);
    setFlash(request, t('accounts:signIn.signedIn'));
    return reply.redirect(returnTo ?? FIRST_SCREEN, 303);
  });

  app.post('/deconnexion', async (request, reply) => {
    if (request.session) await request.session.destroy();
    reply.clearCookie('session', { path: '/' });
    renewCsrfSecret(reply);
    return reply.redirect('/', 303);
  });
};

export default signInRoutes;
