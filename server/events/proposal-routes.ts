// An organisation's events: its list and the form that proposes a new one. For its members
// (and administrators), checked once in the hook.
import type { FastifyPluginAsync } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { currentUser, signedInWith } from '../accounts/index.ts';
import { HttpError } from '../plugins/errors.ts';
import { idParam } from '../plugins/params.ts';
import { organisationForMember } from './access.ts';
import { createEvent, openEdition } from './editing.ts';
import { afterSave, formContext, formPage, venueIds } from './form-page.ts';
import { asFieldError } from './http-errors.ts';
import { organisationEvents } from './queries.ts';
import { emptyEventForm, parseEventForm } from './schemas.ts';
import { openCallCounts } from '../registrations/index.ts';

const proposalRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, clock }) => {
  const member = signedInWith((request, user) => organisationForMember(db, user, idParam(request, 'orgId')));
  app.addHook('preHandler', member.hook);

  app.get('/espace/organisations/:orgId/evenements/nouveau', async (request, reply) => {
    return formPage(db, reply, { context: formContext(member.of(request)), edition: await openEdition(db), values: emptyEventForm() });
  });

  app.post('/espace/organisations/:orgId/evenements/nouveau', async (request, reply) => {
    const context = formContext(member.of(request));
    const edition = await openEdition(db);
    if (!edition) throw new HttpError(409, "Aucune édition n'est ouverte aux propositions pour le moment.");
    const body = request.body as Record<string, unknown>;
    const result = parseEventForm(body, { zone: context.zone, communes: context.communes, edition, venueIds: await venueIds(db, context.organisationId, context.territoryId) });
    let errors = result.errors;
    if (result.fields && result.venue) {
      try {
        const created = await createEvent(db, {
          organisationId: context.organisationId,
          territoryId: context.territoryId,
          fields: result.fields,
          venue: result.venue,
          actorUserId: currentUser(request).id,
          now: clock.now(),
        });
        await afterSave(db, clock, request, created.id, body, result.outsideEdition, 'Brouillon enregistré.');
        return reply.redirect(`/espace/evenements/${created.id}`, 303);
      } catch (error) {
        errors = [asFieldError(error)];
      }
    }
    return formPage(db, reply, { context, edition, values: result.values, result, errors });
  });

  app.get('/espace/organisations/:orgId/evenements', async (request, reply) => {
    const { organisation, territory } = member.of(request);
    const events = await organisationEvents(db, organisation.id);
    const calls = await openCallCounts(db, events.map((e) => e.id));
    return reply.page('events/list', { organisation, zone: territory.timeZone, events, calls }, { title: `Événements de ${organisation.name}`, personal: true });
  });
};

export default proposalRoutes;
