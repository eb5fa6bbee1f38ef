// One event, for its organisation: its page, edit form, « Proposer », cancellation and the preview
// of its public page. For the members of its organisation and its territory's coordinators (and
// administrators), checked once in the hook.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { currentUser, isOrganisationMember, signedInWith } from '../accounts/index.ts';
import { EVENT_STATE_LABELS } from '../domain/vocabulary.ts';
import { t } from '../i18n/index.ts';
import { HttpError } from '../plugins/errors.ts';
import { setFlash, takeFlash } from '../plugins/flash.ts';
import { idParam } from '../plugins/params.ts';
import type { FieldError } from '../plugins/views.ts';
import { eventPageData, presentEvent, getPublicEvent } from '../programme/index.ts';
import { eventForOrganiser } from './access.ts';
import { editionChoice, updateEvent } from './editing.ts';
import { afterSave, formContext, formPage, venueIds } from './form-page.ts';
import { asFieldError, orConflict } from './http-errors.ts';
import { cancel, submit } from './moderation.ts';
import { historyForView, previewShape } from './present.ts';
import type { EventContext } from './queries.ts';
import { organiserViewOf } from './review.ts';
import { awaitsOutsideEditionApproval, isEditable } from './rules.ts';
import { messageField } from './form-fields.ts';
import { eventToFormValues, parseEventForm } from './schemas.ts';
import { placeVenueChoice } from './address-lookup.ts';
import { eventView } from './view-models.ts';

type Body = Record<string, unknown>;

const organiserRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, config, clock }) => {
  const organiser = signedInWith((request, user) => eventForOrganiser(db, user, idParam(request, 'id')));
  app.addHook('preHandler', organiser.hook);

  async function showPage(request: FastifyRequest, reply: FastifyReply, ctx: EventContext, form: { errors?: FieldError[]; reason?: string } = {}) {
    const { history, decision, can } = await organiserViewOf(db, ctx);
    const flash = takeFlash(request);
    // « Dupliquer » proposes for the organisation: its members' (a coordinator reads the page, proposes nothing).
    const user = currentUser(request);
    const canDuplicate = user.isAdmin || (await isOrganisationMember(db, user, ctx.event.organisationId));
    return reply.page(
      'events/show',
      { ...eventView(ctx), decision, history: historyForView(history, ctx.territory.timeZone), can, canDuplicate, reason: form.reason ?? '', flash },
      { title: ctx.event.title, errors: form.errors, personal: true, statusMessage: flash },
    );
  }

  app.get('/espace/evenements/:id', async (request, reply) => showPage(request, reply, organiser.of(request)));

  app.get('/espace/evenements/:id/modifier', async (request, reply) => {
    const ctx = organiser.of(request);
    if (!isEditable(ctx.event.state))
      throw new HttpError(409, t('events:errors.notEditable', { state: EVENT_STATE_LABELS[ctx.event.state] }));
    const values = eventToFormValues(ctx.event, ctx.territory.timeZone);
    const outsideEdition = awaitsOutsideEditionApproval(ctx.event, ctx.edition, ctx.territory.timeZone);
    const { editions } = await editionChoice(db, ctx.event);
    return formPage(db, reply, { context: formContext(ctx), editions, edition: ctx.edition, event: ctx.event, values, outsideEdition });
  });

  app.post('/espace/evenements/:id/modifier', async (request, reply) => {
    const ctx = organiser.of(request);
    const context = formContext(ctx);
    const body = request.body as Body;
    const choice = await editionChoice(db, ctx.event);
    const result = parseEventForm(body, { zone: context.zone, communes: context.communes, editions: choice, venueIds: await venueIds(db, context.organisationId, context.territoryId, ctx.event.venueId) });
    let errors = result.errors;
    if (result.fields && result.venue) {
      try {
        const saved = await updateEvent(db, ctx.event.id, {
          fields: result.fields,
          venue: await placeVenueChoice(config, result.venue),
          actorUserId: currentUser(request).id,
          now: clock.now(),
        });
        if (saved.announced) setFlash(request, t('events:flash.changesSavedAnnounced'));
        else await afterSave(db, clock, request, ctx.event.id, body, result.outsideEdition, t('events:flash.changesSaved'));
        return reply.redirect(`/espace/evenements/${ctx.event.id}`, 303);
      } catch (error) {
        errors = [asFieldError(error)];
      }
    }
    return formPage(db, reply, { context, editions: choice.editions, event: ctx.event, values: result.values, result, errors });
  });

  app.post('/espace/evenements/:id/soumettre', async (request, reply) => {
    const ctx = organiser.of(request);
    await orConflict(submit(db, ctx.event.id, { actorUserId: currentUser(request).id, now: clock.now() }));
    setFlash(request, t('events:flash.submitted'));
    return reply.redirect(`/espace/evenements/${ctx.event.id}`, 303);
  });

  app.post('/espace/evenements/:id/annuler', async (request, reply) => {
    const ctx = organiser.of(request);
    const reason = messageField(request.body as Body, 'reason');
    try {
      await cancel(db, ctx.event.id, { actorUserId: currentUser(request).id, reason, now: clock.now() });
    } catch (error) {
      return showPage(request, reply, ctx, { errors: [asFieldError(error)], reason });
    }
    setFlash(request, t('events:flash.cancelled'));
    return reply.redirect(`/espace/evenements/${ctx.event.id}`, 303);
  });

  // The public page's own template (the programme feature's), fed with the event as it stands.
  app.get('/espace/evenements/:id/apercu', async (request, reply) => {
    const ctx = organiser.of(request);
    const published = await getPublicEvent(db, ctx.event.id);
    const view = presentEvent(previewShape(ctx, published ?? { taken: 0 }), clock.now());
    const preview = await reply.renderTemplate('programme/event', eventPageData(config, view, { eventId: ctx.event.id, organisationId: ctx.event.organisationId, jsonLd: '{}' }));
    return reply.page('events/preview', { ...eventView(ctx), preview }, { title: t('events:preview.title', { title: ctx.event.title }), personal: true });
  });
};

export default organiserRoutes;
