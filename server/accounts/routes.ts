// Accounts over HTTP: sign-in by emailed link, sign-out, the signed-in home (/espace), and
// organisations with their members. Thin: parse, call the service, render or redirect (303).
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { ORGANISATION_KINDS, ORGANISATION_KIND_LABELS } from '../domain/vocabulary.ts';
import { notFound, forbidden } from '../plugins/errors.ts';
import { renewCsrfSecret } from '../plugins/forms.ts';
import type { FieldError } from '../plugins/views.ts';
import adminRoutes from './admin-routes.ts';
import { setFlash, takeFlash } from '../plugins/flash.ts';
import { idParam } from '../plugins/params.ts';
import { currentUser, requireSignIn } from './guards.ts';
import {
  ORGANISATION_FIELDS,
  field,
  parseEmailForm,
  parseOrganisationForm,
  parseProfileForm,
  safeReturnPath,
  typed,
  type FormBody,
} from './schemas.ts';
import {
  canAccessOrganisation,
  coordinatedTerritories,
  createOrganisation,
  getOrganisation,
  inviteMember,
  listMembers,
  listOrganisationEvents,
  organisationsOfUser,
  removeMember,
  territoryChoices,
  updateOrganisation,
} from './organisations.ts';
import { updateProfile } from './people.ts';
import { SIGN_IN_LINK_MS, consumeSignInToken, inspectSignInToken, requestSignIn, type TokenProblem } from './sign-in.ts';

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

const kindOptions = ORGANISATION_KINDS.map((kind) => ({ value: kind, label: ORGANISATION_KIND_LABELS[kind] }));

const TOKEN_PROBLEMS: Record<TokenProblem, { status: number; title: string; message: string }> = {
  invalid: {
    status: 400,
    title: "Ce lien de connexion n'est pas valide",
    message: "Il est peut-être incomplet : vérifiez que vous avez copié toute l'adresse reçue par e-mail, ou demandez un nouveau lien.",
  },
  used: {
    status: 410,
    title: 'Ce lien de connexion a déjà servi',
    message: 'Pour votre sécurité, chaque lien ne sert qu’une seule fois. Demandez un nouveau lien : il arrive en quelques instants.',
  },
  expired: {
    status: 410,
    title: 'Ce lien de connexion a expiré',
    message: 'Un lien de connexion est valable 10 minutes, un lien d’invitation 7 jours. Demandez un nouveau lien : il arrive en quelques instants.',
  },
};

const accountsRoutes: FastifyPluginAsync<FeatureOptions> = async (app, opts) => {
  const { config, db, clock } = opts;
  /** Without SMTP the mails land in the local mailbox: say where. */
  const localMailbox = config.smtpUrl === undefined;

  // ——— Sign-in ———

  function signInPage(reply: FastifyReply, data: { email?: string; returnTo?: string | null }, errors: FieldError[] = [], status?: number) {
    return reply.page(
      'accounts/sign-in',
      { email: data.email ?? '', returnTo: data.returnTo ?? '', minutes: SIGN_IN_LINK_MS / 60_000 },
      { title: 'Connexion', errors, status },
    );
  }

  function tokenProblem(reply: FastifyReply, reason: TokenProblem, returnTo: string | null) {
    const problem = TOKEN_PROBLEMS[reason];
    const retryUrl = returnTo ? `/connexion?retour=${encodeURIComponent(returnTo)}` : '/connexion';
    return reply.page('accounts/link-problem', { ...problem, retryUrl }, { title: problem.title, status: problem.status, personal: true });
  }

  app.get('/connexion', async (request, reply) => {
    const returnTo = safeReturnPath((request.query as Record<string, unknown>).retour);
    if (request.user) return reply.redirect(returnTo ?? '/espace', 303);
    return signInPage(reply, { returnTo });
  });

  app.post('/connexion', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = request.body as FormBody;
    const returnTo = safeReturnPath(field(body, 'retour'));
    const parsed = parseEmailForm(body);
    if (!parsed.ok) return signInPage(reply, { email: field(body, 'email'), returnTo }, parsed.errors);
    const result = await requestSignIn(db, { email: parsed.value.email, now: clock.now(), publicUrl: config.publicUrl, returnTo });
    if (!result.ok) {
      const wait = result.retryAfterMinutes === 1 ? 'une minute' : `${result.retryAfterMinutes} minutes`;
      reply.header('Retry-After', String(result.retryAfterMinutes * 60));
      return signInPage(
        reply,
        { email: field(body, 'email'), returnTo },
        [{ field: 'email', message: `Plusieurs liens ont déjà été demandés pour cette adresse. Utilisez le plus récent, ou réessayez dans ${wait}.` }],
        429,
      );
    }
    // The same answer whatever the address: nothing tells whether an account exists.
    return reply.redirect('/connexion/envoye', 303);
  });

  app.get('/connexion/envoye', async (_request, reply) =>
    reply.page('accounts/sign-in-sent', { minutes: SIGN_IN_LINK_MS / 60_000, localMailbox }, { title: 'Vérifiez votre messagerie' }),
  );

  // Opening the link only shows a button: mail scanners open every link, and must not sign in.
  app.get('/connexion/lien', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const token = typeof query.jeton === 'string' ? query.jeton : '';
    const returnTo = safeReturnPath(query.retour);
    const state = await inspectSignInToken(db, token, clock.now());
    if (!state.ok) return tokenProblem(reply, state.reason, returnTo);
    reply.header('Referrer-Policy', 'no-referrer');
    return reply.page('accounts/link', { token, returnTo: returnTo ?? '', email: state.email }, { title: 'Se connecter', personal: true });
  });

  app.post('/connexion/lien', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = request.body as FormBody;
    const returnTo = safeReturnPath(field(body, 'retour'));
    const now = clock.now();
    const result = await consumeSignInToken(db, field(body, 'jeton'), now);
    if (!result.ok) return tokenProblem(reply, result.reason, returnTo);
    await startSession(app, request, result.user.id, now);
    renewCsrfSecret(reply);
    setFlash(request, 'Vous êtes connecté·e.');
    return reply.redirect(returnTo ?? '/espace', 303);
  });

  app.post('/deconnexion', async (request, reply) => {
    if (request.session) await request.session.destroy();
    reply.clearCookie('session', { path: '/' });
    renewCsrfSecret(reply);
    return reply.redirect('/', 303);
  });

  // ——— Signed-in home ———

  async function homePage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldError[]; name?: string } = {}) {
    const user = currentUser(request);
    const [organisations, territories] = await Promise.all([organisationsOfUser(db, user.id), coordinatedTerritories(db, user.id)]);
    const flash = takeFlash(request);
    return reply.page(
      'accounts/home',
      { user, organisations, territories, flash, name: extra.name ?? user.name ?? '', kindLabels: ORGANISATION_KIND_LABELS },
      { title: 'Mon espace', errors: extra.errors, personal: true, statusMessage: flash },
    );
  }

  app.get('/espace', { preHandler: requireSignIn }, async (request, reply) => homePage(request, reply));

  app.post('/espace/profil', { preHandler: requireSignIn }, async (request, reply) => {
    const user = currentUser(request);
    const body = request.body as FormBody;
    const parsed = parseProfileForm(body);
    if (!parsed.ok) return homePage(request, reply, { errors: parsed.errors, name: field(body, 'name') });
    await updateProfile(db, user.id, parsed.value);
    setFlash(request, 'Votre nom est enregistré.');
    return reply.redirect('/espace', 303);
  });

  // ——— Organisations ———

  async function organisationFormPage(
    reply: FastifyReply,
    data: { mode: 'create' | 'edit'; values: Record<string, string>; organisationId?: number; territoryName?: string },
    errors: FieldError[] = [],
  ) {
    const territories = data.mode === 'create' ? await territoryChoices(db) : [];
    const title = data.mode === 'create' ? 'Créer une organisation' : `Modifier ${data.values.name || "l'organisation"}`;
    return reply.page(
      'accounts/organisation-form',
      {
        ...data,
        kindOptions: [{ value: '', label: 'Choisissez un type' }, ...kindOptions],
        territoryOptions: [{ value: '', label: 'Choisissez un territoire' }, ...territories.map((t) => ({ value: String(t.id), label: t.name }))],
        noTerritory: data.mode === 'create' && territories.length === 0,
      },
      { title, errors, personal: true },
    );
  }

  /** The organisation named in the URL, if the person may act on it: 404 if absent, 403 if not theirs. */
  async function organisationFor(request: FastifyRequest) {
    const user = currentUser(request);
    const organisationId = idParam(request, 'orgId');
    const org = await getOrganisation(db, organisationId);
    if (!org) throw notFound("Cette organisation n'existe pas.");
    if (!(await canAccessOrganisation(db, user, organisationId))) throw forbidden("Vous n'êtes pas membre de cette organisation.");
    return { user, org };
  }

  app.get('/espace/organisations/nouvelle', { preHandler: requireSignIn }, async (_request, reply) =>
    organisationFormPage(reply, { mode: 'create', values: typed({}, ORGANISATION_FIELDS) }),
  );

  app.post('/espace/organisations/nouvelle', { preHandler: requireSignIn }, async (request, reply) => {
    const user = currentUser(request);
    const body = request.body as FormBody;
    const territories = await territoryChoices(db);
    const parsed = parseOrganisationForm(body, { territoryIds: territories.map((t) => t.id), requireTerritory: true });
    if (!parsed.ok) return organisationFormPage(reply, { mode: 'create', values: typed(body, ORGANISATION_FIELDS) }, parsed.errors);
    const id = await createOrganisation(db, user.id, parsed.value, clock.now());
    setFlash(request, `L'organisation « ${parsed.value.name} » est créée. Vous pouvez maintenant inviter d'autres membres et proposer des événements.`);
    return reply.redirect(`/espace/organisations/${id}`, 303);
  });

  async function organisationPage(
    request: FastifyRequest,
    reply: FastifyReply,
    org: NonNullable<Awaited<ReturnType<typeof getOrganisation>>>,
    extra: { errors?: FieldError[]; inviteEmail?: string } = {},
  ) {
    const user = currentUser(request);
    const [members, events] = await Promise.all([listMembers(db, org.id), listOrganisationEvents(db, org.id)]);
    const flash = takeFlash(request);
    return reply.page(
      'accounts/organisation',
      { org, members, events, flash, me: user.id, inviteEmail: extra.inviteEmail ?? '', kindLabel: ORGANISATION_KIND_LABELS[org.kind] },
      { title: org.name, errors: extra.errors, personal: true, statusMessage: flash },
    );
  }

  app.get('/espace/organisations/:orgId', { preHandler: requireSignIn }, async (request, reply) => {
    const { org } = await organisationFor(request);
    return organisationPage(request, reply, org);
  });

  app.get('/espace/organisations/:orgId/modifier', { preHandler: requireSignIn }, async (request, reply) => {
    const { org } = await organisationFor(request);
    const values = {
      name: org.name,
      kind: org.kind,
      territoryId: String(org.territoryId),
      contactEmail: org.contactEmail ?? '',
      contactPhone: org.contactPhone ?? '',
      website: org.website ?? '',
    };
    return organisationFormPage(reply, { mode: 'edit', values, organisationId: org.id, territoryName: org.territoryName });
  });

  app.post('/espace/organisations/:orgId/modifier', { preHandler: requireSignIn }, async (request, reply) => {
    const { org } = await organisationFor(request);
    const body = request.body as FormBody;
    const parsed = parseOrganisationForm(body, { territoryIds: [], requireTerritory: false });
    if (!parsed.ok)
      return organisationFormPage(
        reply,
        { mode: 'edit', values: typed(body, ORGANISATION_FIELDS), organisationId: org.id, territoryName: org.territoryName },
        parsed.errors,
      );
    await updateOrganisation(db, org.id, parsed.value);
    setFlash(request, 'Les informations de l’organisation sont enregistrées.');
    return reply.redirect(`/espace/organisations/${org.id}`, 303);
  });

  app.post(
    '/espace/organisations/:orgId/invitations',
    { preHandler: requireSignIn, config: { rateLimit: { max: 30, timeWindow: '10 minutes' } } },
    async (request, reply) => {
      const { user, org } = await organisationFor(request);
      const body = request.body as FormBody;
      const parsed = parseEmailForm(body, "l'adresse e-mail de la personne à inviter");
      if (!parsed.ok) return organisationPage(request, reply, org, { errors: parsed.errors, inviteEmail: field(body, 'email') });
      const result = await inviteMember(db, {
        organisationId: org.id,
        email: parsed.value.email,
        invitedByUserId: user.id,
        now: clock.now(),
        publicUrl: config.publicUrl,
      });
      if (!result.ok)
        return organisationPage(request, reply, org, {
          errors: [{ field: 'email', message: `${parsed.value.email} est déjà membre de l'organisation.` }],
          inviteEmail: field(body, 'email'),
        });
      setFlash(request, `Invitation envoyée à ${parsed.value.email}. Le lien qu'elle contient est valable 7 jours.`);
      return reply.redirect(`/espace/organisations/${org.id}`, 303);
    },
  );

  app.post('/espace/organisations/:orgId/membres/:userId/retirer', { preHandler: requireSignIn }, async (request, reply) => {
    const { user, org } = await organisationFor(request);
    const memberId = idParam(request, 'userId');
    const result = await removeMember(db, { organisationId: org.id, userId: memberId });
    if (result === 'not_member') throw notFound("Cette personne n'est pas membre de l'organisation.");
    if (result === 'last_member')
      return organisationPage(request, reply, org, {
        errors: [{ field: 'membres', message: "Une organisation garde au moins un membre : invitez quelqu'un d'autre avant de la quitter." }],
      });
    if (memberId === user.id) {
      setFlash(request, `Vous avez quitté l'organisation « ${org.name} ».`);
      return reply.redirect('/espace', 303);
    }
    setFlash(request, 'La personne a été retirée de l’organisation.');
    return reply.redirect(`/espace/organisations/${org.id}`, 303);
  });

  await app.register(adminRoutes, opts);
};

export default accountsRoutes;
