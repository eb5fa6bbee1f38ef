// The signed-in home (/espace): a person's organisations and territories, their name, and the
// creation of an organisation. Signed in only, checked once in the hook.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { t } from '../i18n/index.ts';
import { ORGANISATION_KIND_LABELS } from '../domain/vocabulary.ts';
import { outboxCounts } from '../mail/index.ts';
import { setFlash, takeFlash } from '../plugins/flash.ts';
import type { FieldError } from '../plugins/views.ts';
import { currentUser, requireSignIn } from './guards.ts';
import { organisationFormPage } from './organisation-form.ts';
import { coordinatedTerritories, createOrganisation, organisationsOfUser, territoryChoices } from './organisations.ts';
import { updateProfile } from './people.ts';
import { ORGANISATION_FIELDS, field, parseOrganisationForm, parseProfileForm, typed, type FormBody } from './schemas.ts';

const homeRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, clock }) => {
  app.addHook('preHandler', requireSignIn);

  async function homePage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldError[]; name?: string } = {}) {
    const user = currentUser(request);
    const [organisations, territories, failedMails] = await Promise.all([
      organisationsOfUser(db, user.id),
      coordinatedTerritories(db, user.id),
      user.isAdmin ? outboxCounts(db).then((counts) => counts.failed) : 0,
    ]);
    const flash = takeFlash(request);
    return reply.page(
      'accounts/home',
      { user, organisations, territories, failedMails, flash, name: extra.name ?? user.name ?? '', kindLabels: ORGANISATION_KIND_LABELS },
      { title: t('accounts:home.title'), errors: extra.errors, personal: true, statusMessage: flash },
    );
  }

  app.get('/espace', async (request, reply) => homePage(request, reply));

  app.post('/espace/profil', async (request, reply) => {
    const user = currentUser(request);
    const body = request.body as FormBody;
    const parsed = parseProfileForm(body);
    if (!parsed.ok) return homePage(request, reply, { errors: parsed.errors, name: field(body, 'name') });
    await updateProfile(db, user.id, parsed.value);
    setFlash(request, t('accounts:home.nameSaved'));
    return reply.redirect('/espace', 303);
  });

  app.get('/espace/organisations/nouvelle', async (_request, reply) =>
    organisationFormPage(db, reply, { mode: 'create', values: typed({}, ORGANISATION_FIELDS) }),
  );

  app.post('/espace/organisations/nouvelle', async (request, reply) => {
    const user = currentUser(request);
    const body = request.body as FormBody;
    const territories = await territoryChoices(db);
    const parsed = parseOrganisationForm(body, { territoryIds: territories.map((t) => t.id), requireTerritory: true });
    if (!parsed.ok) return organisationFormPage(db, reply, { mode: 'create', values: typed(body, ORGANISATION_FIELDS) }, parsed.errors);
    const id = await createOrganisation(db, user.id, parsed.value, clock.now());
    setFlash(request, t('accounts:home.organisationCreated', { name: parsed.value.name }));
    return reply.redirect(`/espace/organisations/${id}`, 303);
  });
};

export default homeRoutes;
