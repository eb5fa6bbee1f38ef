// Administration over HTTP (/admin): territories, editions, coordinators. Every route here is
// for administrators only (the hook below); the rules live in admin-service.ts.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
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
    return reply.page('accounts/admin/index', { territories, editions, admins, failedMails: counts.failed, flash }, { title: 'Administration', personal: true, statusMessage: flash });
  });

  // ——— Territories ———

  async function territoryById(request: FastifyRequest): Promise<Territory> {
    const found = await getTerritory(db, idParam(request, 'territoryId'));
    if (!found) throw notFound("Ce territoire n'existe pas.");
    return found;
  }

  app.get('/admin/territoires/nouveau', async (_request, reply) =>
    reply.page('accounts/admin/territory-new', { values: { ...typed({}, TERRITORY_FIELDS), timeZone: 'Europe/Paris' } }, { title: 'Nouveau territoire', personal: true }),
  );

  app.post('/admin/territoires/nouveau', async (request, reply) => {
    const body = request.body as FormBody;
    const parsed = parseTerritoryForm(body);
    const saved = parsed.ok ? await createTerritory(db, parsed.value, clock.now()) : parsed;
    if (!saved.ok) return reply.page('accounts/admin/territory-new', { values: typed(body, TERRITORY_FIELDS) }, { title: 'Nouveau territoire', errors: saved.errors, personal: true });
    setFlash(request, `Le territoire « ${field(body, 'name')} » est créé. Nommez maintenant sa coordination.`);
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
    setFlash(request, 'Le territoire est enregistré.');
    return reply.redirect(`/admin/territoires/${territory.id}`, 303);
  });

  app.post('/admin/territoires/:territoryId/coordinations', { config: { rateLimit: { max: 30, timeWindow: '10 minutes' } } }, async (request, reply) => {
    const territory = await territoryById(request);
    const body = request.body as FormBody;
    const parsed = parseEmailForm(body, "l'adresse e-mail de la personne qui coordonne");
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
        errors: [{ field: 'email', message: `${parsed.value.email} coordonne déjà ce territoire.` }],
        coordinatorEmail: field(body, 'email'),
      });
    setFlash(request, `${parsed.value.email} coordonne maintenant ce territoire. Une invitation lui a été envoyée.`);
    return reply.redirect(`/admin/territoires/${territory.id}`, 303);
  });

  app.post('/admin/territoires/:territoryId/coordinations/:userId/retirer', async (request, reply) => {
    const territory = await territoryById(request);
    const removed = await removeCoordinator(db, territory.id, idParam(request, 'userId'));
    if (!removed) throw notFound("Cette personne ne coordonne pas ce territoire.");
    setFlash(request, 'La personne ne coordonne plus ce territoire.');
    return reply.redirect(`/admin/territoires/${territory.id}`, 303);
  });

  // ——— Editions ———

  async function editionById(request: FastifyRequest): Promise<Edition> {
    const found = await getEdition(db, idParam(request, 'editionId'));
    if (!found) throw notFound("Cette édition n'existe pas.");
    return found;
  }

  function editionPage(reply: FastifyReply, data: { editionId?: number; values: Record<string, string> }, errors: FieldError[] = []) {
    const title = data.editionId === undefined ? 'Nouvelle édition' : `Édition ${data.values.year}`;
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
    setFlash(request, `L'édition ${field(body, 'year')} est créée.`);
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
    setFlash(request, `L'édition ${parsed.ok ? parsed.value.year : ''} est enregistrée.`);
    return reply.redirect('/admin', 303);
  });
};

export default adminRoutes;
