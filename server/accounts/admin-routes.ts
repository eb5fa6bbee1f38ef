// Administration over HTTP (/admin): territories, editions, coordinators. Every route here is
// for administrators only (the hook below); the rules live in admin-service.ts.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { t } from '../i18n/index.ts';
import { notFound } from '../plugins/errors.ts';
import type { FieldError } from '../plugins/views.ts';
import { outboxCounts } from '../mail/index.ts';
import {
  createEdition,
  createTerritory,
  getEdition,
  getTerritory,
  listCoordinators,
  listEditions,
  listTerritories,
  nameCoordinator,
  removeCoordinator,
  updateEdition,
  updateTerritory,
} from './admin-service.ts';
import { setFlash, takeFlash } from '../plugins/flash.ts';
import { currentUser, requireAdmin } from './guards.ts';
import { idParam } from '../plugins/params.ts';
import { EDITION_FIELDS, TERRITORY_FIELDS, field, parseEditionForm, parseEmailForm, parseTerritoryForm, typed, type FormBody } from './schemas.ts';
import { listAdmins } from './people.ts';

type Territory = NonNullable<Awaited<ReturnType<typeof getTerritory>>>;
type Edition = NonNullable<Awaited<ReturnType<typeof getEdition>>>;

function territoryValues(t: Territory): Record<string, string> {
  return { name: t.name, slug: t.slug, communes: t.communes.join('\n'), timeZone: t.timeZone };
}

function editionValues(e: Edition): Record<string, string> {
  return { year: String(e.year), theme: e.theme, firstDay: e.firstDay, lastDay: e.lastDay, proposalsOpen: e.proposalsOpen ? 'oui' : '' };
}

const adminRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { config, db, clock }) => {
  app.addHook('preHandler', requireAdmin);

  app.get('/admin', async (request, reply) => {
    const [territories, editions, admins, counts] = await Promise.all([listTerritories(db), listEditions(db), listAdmins(db), outboxCounts(db)]);
    const flash = takeFlash(request);
    return reply.page('accounts/admin/index', { territories, editions, admins, failedMails: counts.failed, flash }, { title: t('accounts:admin.title'), personal: true, statusMessage: flash });
  });

  // ——— Territories ———

  async function territoryById(request: FastifyRequest): Promise<Territory> {
    const found = await getTerritory(db, idParam(request, 'territoryId'));
    if (!found) throw notFound(t('accounts:admin.territoryPage.notFound'));
    return found;
  }

  app.get('/admin/territoires/nouveau', async (_request, reply) =>
    reply.page('accounts/admin/territory-new', { values: { ...typed({}, TERRITORY_FIELDS), timeZone: 'Europe/Paris' } }, { title: t('accounts:admin.newTerritory'), personal: true }),
  );

  app.post('/admin/territoires/nouveau', async (request, reply) => {
    const body = request.body as FormBody;
    const parsed = parseTerritoryForm(body);
    const saved = parsed.ok ? await createTerritory(db, parsed.value, clock.now()) : parsed;
    if (!saved.ok) return reply.page('accounts/admin/territory-new', { values: typed(body, TERRITORY_FIELDS) }, { title: t('accounts:admin.newTerritory'), errors: saved.errors, personal: true });
    setFlash(request, t('accounts:admin.territoryPage.created', { name: field(body, 'name') }));
    return reply.redirect(`/admin/territoires/${saved.id}`, 303);
  });

  async function territoryPage(
    request: FastifyRequest,
    reply: FastifyReply,
    territory: Territory,
    extra: { values?: Record<string, string>; errors?: FieldError[]; coordinatorEmail?: string } = {},
  ) {
    const coordinators = await listCoordinators(db, territory.id);
    const flash = takeFlash(request);
    return reply.page(
      'accounts/admin/territory',
      { territory, coordinators, values: extra.values ?? territoryValues(territory), coordinatorEmail: extra.coordinatorEmail ?? '', flash },
      { title: territory.name, errors: extra.errors, personal: true, statusMessage: flash },
    );
  }

  app.get('/admin/territoires/:territoryId', async (request, reply) => territoryPage(request, reply, await territoryById(request)));

  app.post('/admin/territoires/:territoryId', async (request, reply) => {
    const territory = await territoryById(request);
    const body = request.body as FormBody;
    const parsed = parseTerritoryForm(body);
    const saved = parsed.ok ? await updateTerritory(db, territory.id, parsed.value) : parsed;
    if (!saved.ok) return territoryPage(request, reply, territory, { values: typed(body, TERRITORY_FIELDS), errors: saved.errors });
    setFlash(request, t('accounts:admin.territoryPage.saved'));
    return reply.redirect(`/admin/territoires/${territory.id}`, 303);
  });

  app.post('/admin/territoires/:territoryId/coordinations', { config: { rateLimit: { max: 30, timeWindow: '10 minutes' } } }, async (request, reply) => {
    const territory = await territoryById(request);
    const body = request.body as FormBody;
    const parsed = parseEmailForm(body, t('accounts:validation.email.coordinator'));
    if (!parsed.ok) return territoryPage(request, reply, territory, { errors: parsed.errors, coordinatorEmail: field(body, 'email') });
    const result = await nameCoordinator(db, {
      territoryId: territory.id,
      email: parsed.value.email,
      invitedByUserId: currentUser(request).id,
      now: clock.now(),
      publicUrl: config.publicUrl,
    });
    if (!result.ok)
      return territoryPage(request, reply, territory, {
        errors: [{ field: 'email', message: t('accounts:admin.territoryPage.alreadyCoordinator', { email: parsed.value.email }) }],
        coordinatorEmail: field(body, 'email'),
      });
    setFlash(request, t('accounts:admin.territoryPage.coordinatorNamed', { email: parsed.value.email }));
    return reply.redirect(`/admin/territoires/${territory.id}`, 303);
  });

  app.post('/admin/territoires/:territoryId/coordinations/:userId/retirer', async (request, reply) => {
    const territory = await territoryById(request);
    const removed = await removeCoordinator(db, territory.id, idParam(request, 'userId'));
    if (!removed) throw notFound(t('accounts:admin.territoryPage.notCoordinator'));
    setFlash(request, t('accounts:admin.territoryPage.coordinatorRemoved'));
    return reply.redirect(`/admin/territoires/${territory.id}`, 303);
  });

  // ——— Editions ———

  async function editionById(request: FastifyRequest): Promise<Edition> {
    const found = await getEdition(db, idParam(request, 'editionId'));
    if (!found) throw notFound(t('accounts:admin.editionForm.notFound'));
    return found;
  }

  function editionPage(reply: FastifyReply, data: { editionId?: number; values: Record<string, string> }, errors: FieldError[] = []) {
    const title = data.editionId === undefined ? t('accounts:admin.editionForm.newTitle') : t('accounts:admin.editionForm.editTitle', { year: data.values.year });
    return reply.page('accounts/admin/edition-form', data, { title, errors, personal: true });
  }

  app.get('/admin/editions/nouvelle', async (_request, reply) => {
    const year = clock.now().getUTCFullYear();
    return editionPage(reply, { values: { ...typed({}, EDITION_FIELDS), year: String(year), proposalsOpen: 'oui' } });
  });

  app.post('/admin/editions/nouvelle', async (request, reply) => {
    const body = request.body as FormBody;
    const parsed = parseEditionForm(body);
    const saved = parsed.ok ? await createEdition(db, parsed.value, clock.now()) : parsed;
    if (!saved.ok) return editionPage(reply, { values: typed(body, EDITION_FIELDS) }, saved.errors);
    setFlash(request, t('accounts:admin.editionForm.created', { year: field(body, 'year') }));
    return reply.redirect('/admin', 303);
  });

  app.get('/admin/editions/:editionId', async (request, reply) => {
    const found = await editionById(request);
    return editionPage(reply, { editionId: found.id, values: editionValues(found) });
  });

  app.post('/admin/editions/:editionId', async (request, reply) => {
    const found = await editionById(request);
    const body = request.body as FormBody;
    const parsed = parseEditionForm(body);
    const saved = parsed.ok ? await updateEdition(db, found.id, parsed.value) : parsed;
    if (!saved.ok) return editionPage(reply, { editionId: found.id, values: typed(body, EDITION_FIELDS) }, saved.errors);
    setFlash(request, t('accounts:admin.editionForm.saved', { year: parsed.ok ? parsed.value.year : '' }));
    return reply.redirect('/admin', 303);
  });
};

export default adminRoutes;
