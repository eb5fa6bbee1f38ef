// One organisation: its page, its details, its members (invite, remove). For its members (and
// administrators), checked once in the hook.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { t } from '../i18n/index.ts';
import { ORGANISATION_KIND_LABELS } from '../domain/vocabulary.ts';
import { forbidden, notFound } from '../plugins/errors.ts';
import { setFlash, takeFlash } from '../plugins/flash.ts';
import { idParam } from '../plugins/params.ts';
import type { FieldError } from '../plugins/views.ts';
import { currentUser, signedInWith } from './guards.ts';
import { organisationFormPage } from './organisation-form.ts';
import { canAccessOrganisation, getOrganisation, inviteMember, listMembers, listOrganisationEvents, removeMember, updateOrganisation } from './organisations.ts';
import { ORGANISATION_FIELDS, field, parseEmailForm, parseOrganisationForm, typed, type FormBody } from './schemas.ts';

const organisationRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { config, db, clock }) => {
  // The organisation named in the URL, if the person may act on it: 404 if absent, 403 if not theirs.
  const member = signedInWith(async (request, user) => {
    const organisationId = idParam(request, 'orgId');
    const org = await getOrganisation(db, organisationId);
    if (!org) throw notFound(t('accounts:organisation.notFound'));
    if (!(await canAccessOrganisation(db, user, organisationId))) throw forbidden(t('accounts:organisation.forbidden'));
    return { user, org };
  });
  app.addHook('preHandler', member.hook);

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

  app.get('/espace/organisations/:orgId', async (request, reply) => {
    const { org } = member.of(request);
    return organisationPage(request, reply, org);
  });

  app.get('/espace/organisations/:orgId/modifier', async (request, reply) => {
    const { org } = member.of(request);
    const values = {
      name: org.name,
      kind: org.kind,
      territoryId: String(org.territoryId),
      contactEmail: org.contactEmail ?? '',
      contactPhone: org.contactPhone ?? '',
      website: org.website ?? '',
    };
    return organisationFormPage(db, reply, { mode: 'edit', values, organisationId: org.id, territoryName: org.territoryName });
  });

  app.post('/espace/organisations/:orgId/modifier', async (request, reply) => {
    const { org } = member.of(request);
    const body = request.body as FormBody;
    const parsed = parseOrganisationForm(body, { territoryIds: [], requireTerritory: false });
    if (!parsed.ok)
      return organisationFormPage(
        db,
        reply,
        { mode: 'edit', values: typed(body, ORGANISATION_FIELDS), organisationId: org.id, territoryName: org.territoryName },
        parsed.errors,
      );
    await updateOrganisation(db, org.id, parsed.value);
    setFlash(request, t('accounts:organisation.detailsSaved'));
    return reply.redirect(`/espace/organisations/${org.id}`, 303);
  });

  app.post(
    '/espace/organisations/:orgId/invitations',
    { config: { rateLimit: { max: 30, timeWindow: '10 minutes' } } },
    async (request, reply) => {
      const { user, org } = member.of(request);
      const body = request.body as FormBody;
      const parsed = parseEmailForm(body, t('accounts:validation.email.invitee'));
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
          errors: [{ field: 'email', message: t('accounts:organisation.alreadyMember', { email: parsed.value.email }) }],
          inviteEmail: field(body, 'email'),
        });
      setFlash(request, t('accounts:organisation.invitationSent', { email: parsed.value.email }));
      return reply.redirect(`/espace/organisations/${org.id}`, 303);
    },
  );

  app.post('/espace/organisations/:orgId/membres/:userId/retirer', async (request, reply) => {
    const { user, org } = member.of(request);
    const memberId = idParam(request, 'userId');
    const result = await removeMember(db, { organisationId: org.id, userId: memberId });
    if (result === 'not_member') throw notFound(t('accounts:organisation.notMember'));
    if (result === 'last_member')
      return organisationPage(request, reply, org, {
        errors: [{ field: 'membres', message: t('accounts:organisation.lastMember') }],
      });
    if (memberId === user.id) {
      setFlash(request, t('accounts:organisation.left', { name: org.name }));
      return reply.redirect('/espace', 303);
    }
    setFlash(request, t('accounts:organisation.removed'));
    return reply.redirect(`/espace/organisations/${org.id}`, 303);
  });
};

export default organisationRoutes;
