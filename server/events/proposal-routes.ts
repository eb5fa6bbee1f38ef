// An organisation's events: its list and the form that proposes a new one. For its members
// (and administrators), checked once in the hook.
import type { FastifyPluginAsync } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { currentUser, signedInWith } from '../accounts/index.ts';
import { HttpError, notFound } from '../plugins/errors.ts';
import { idParam, parseId } from '../plugins/params.ts';
import { organisationForMember } from './access.ts';
import { createEvent, editionChoice } from './editing.ts';
import { afterSave, formContext, formPage, venueIds } from './form-page.ts';
import { asFieldError } from './http-errors.ts';
import { eventContext, organisationEvents } from './queries.ts';
import { noOpenEditionMessage } from './rules.ts';
import { t } from '../i18n/index.ts';
import { copiedFormValues, emptyEventForm, parseEventForm } from './schemas.ts';
import { placeVenueChoice } from './address-lookup.ts';
import { openCallCounts } from '../registrations/index.ts';

const proposalRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, clock, config }) => {
  const member = signedInWith((request, user) => organisationForMember(db, user, idParam(request, 'orgId')));
  app.addHook('preHandler', member.hook);

  // ?copie=<id>: the form filled in from one of the organisation's events (« Dupliquer »), its dates
  // left to choose. Nothing is saved before the form is sent; registrations are never copied.
  app.get<{ Querystring: { copie?: string } }>('/espace/organisations/:orgId/evenements/nouveau', async (request, reply) => {
    const context = formContext(member.of(request));
    const { editions } = await editionChoice(db);
    if (request.query.copie === undefined) return formPage(db, reply, { context, editions, values: emptyEventForm() });
    const source = await eventContext(db, parseId(String(request.query.copie)));
    if (!source || source.event.organisationId !== context.organisationId) throw notFound(t('events:errors.notInOrganisation'));
    return formPage(db, reply, {
      context,
      editions,
      values: copiedFormValues(source.event, context.zone),
      copiedFrom: { id: source.event.id, title: source.event.title, year: source.edition.year },
    });
  });

  app.post('/espace/organisations/:orgId/evenements/nouveau', async (request, reply) => {
    const context = formContext(member.of(request));
    const choice = await editionChoice(db);
    if (choice.editions.length === 0) throw new HttpError(409, noOpenEditionMessage());
    const body = request.body as Record<string, unknown>;
    const result = parseEventForm(body, { zone: context.zone, communes: context.communes, editions: choice, venueIds: await venueIds(db, context.organisationId, context.territoryId) });
    let errors = result.errors;
    if (result.fields && result.venue) {
      try {
        const created = await createEvent(db, {
          organisationId: context.organisationId,
          territoryId: context.territoryId,
          fields: result.fields,
          venue: await placeVenueChoice(config, result.venue),
          actorUserId: currentUser(request).id,
          now: clock.now(),
        });
        await afterSave(db, clock, request, created.id, body, result.outsideEdition, t('events:flash.draftSaved'));
        return reply.redirect(`/espace/evenements/${created.id}`, 303);
      } catch (error) {
        errors = [asFieldError(error)];
      }
    }
    return formPage(db, reply, { context, editions: choice.editions, values: result.values, result, errors });
  });

  app.get('/espace/organisations/:orgId/evenements', async (request, reply) => {
    const { organisation, territory } = member.of(request);
    const events = await organisationEvents(db, organisation.id);
    const calls = await openCallCounts(db, events.map((e) => e.id));
    return reply.page('events/list', { organisation, zone: territory.timeZone, events, calls }, { title: t('events:list.title', { organisation: organisation.name }), personal: true });
  });
};

export default proposalRoutes;
