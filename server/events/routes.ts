// Events over HTTP: the organiser's proposal form, event page, preview and venues; the
// coordinator's overview, queue and review. Thin: check who acts on which object (access.ts),
// parse (schemas.ts), call the service, render or redirect with 303.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { setFlash, takeFlash } from '../plugins/flash.ts';
import { currentUser, requireSignIn } from '../accounts/guards.ts';
import { idParam } from '../plugins/params.ts';
import {
  ACCESS_FEATURES,
  ACCESS_FEATURE_INFO,
  AUDIENCES,
  AUDIENCE_LABELS,
  CATEGORY_LABELS,
  EVENT_CATEGORIES,
  EVENT_STATE_LABELS,
  VENUE_FACTS,
  VENUE_FACT_LABELS,
} from '../domain/vocabulary.ts';
import { formatCalendarDay } from '../lib/time.ts';
import { HttpError } from '../plugins/errors.ts';
import type { FieldError } from '../plugins/views.ts';
import { eventForCoordinator, eventForOrganiser, organisationForMember, territoryForCoordinator, venueForMember } from './access.ts';
import { eventPageData } from '../programme/pages.ts';
import { presentEvent } from '../programme/present.ts';
import { getPublicEvent } from '../programme/queries.ts';
import { changeLines, historyForView, previewShape } from './present.ts';
import {
  changesSinceLastReview,
  currentSnapshot,
  editions,
  historyOf,
  lastDecision,
  organisationEvents,
  proposalQueue,
  territoryOverview,
  type EventContext,
} from './queries.ts';
import { canTransition, editsSincePublication, isEditable, isOutsideEdition } from './rules.ts';
import {
  checkbox,
  emptyEventForm,
  eventToFormValues,
  messageField,
  offsetChoices,
  parseEventForm,
  parseVenueForm,
  venueFormValues,
  venueToFormValues,
  type EventFormResult,
  type EventFormValues,
  type VenueFormValues,
} from './schemas.ts';
import { createEvent, openEdition, updateEvent } from './editing.ts';
import { cancel, publish, refuse, requestChanges, submit } from './moderation.ts';
import { EventRuleError } from './rule-error.ts';
import { createVenue, organisationVenues, updateVenue, usableVenues, venueFacts } from './venues.ts';

type Body = Record<string, unknown>;

const OPTIONS = {
  category: [{ value: '', label: 'Choisissez un type' }, ...EVENT_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))],
  audience: AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABELS[a] })),
  access: ACCESS_FEATURES.map((a) => ({ value: a, label: ACCESS_FEATURE_INFO[a].label })),
  venueFacts: VENUE_FACTS.map((f) => ({ value: f, label: VENUE_FACT_LABELS[f] })),
};

/** A rule of the domain that concerns one field becomes a form error; any other is a 409 page. */
function asFieldError(error: unknown, fieldFor: (field: string) => string = (f) => f): FieldError {
  if (error instanceof EventRuleError && error.field) return { field: fieldFor(error.field), message: error.message };
  if (error instanceof EventRuleError) throw new HttpError(error.code === 'not_found' ? 404 : 409, error.message);
  throw error;
}

/** A domain refusal with no form to show it in (e.g. « Proposer » twice): a 409 page with the reason. */
async function orConflict<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof EventRuleError) throw new HttpError(error.code === 'not_found' ? 404 : 409, error.message);
    throw error;
  }
}

const eventsRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, config, clock }) => {
  app.addHook('preHandler', requireSignIn);

  // ——— The proposal form ———

  interface FormPage {
    context: { organisationId: number; organisationName: string; territoryId: number; territoryName: string; zone: string };
    edition: { year: number; firstDay: string; lastDay: string; theme: string } | undefined;
    event?: EventContext['event'];
    values: EventFormValues;
    result?: Pick<EventFormResult, 'choices' | 'outsideEdition'>;
    /** When there is no parse result yet (the edit form as saved). */
    outsideEdition?: boolean;
    errors?: FieldError[];
  }

  async function formPage(reply: FastifyReply, page: FormPage) {
    const { context, edition, event, values } = page;
    const venues = await usableVenues(db, context.organisationId, context.territoryId);
    const choices = page.result?.choices ?? {
      start: offsetChoices(values.date, values.startTime, context.zone),
      end: offsetChoices(values.endDate || values.date, values.endTime, context.zone),
    };
    const venueOptions = [
      { value: '', label: 'Choisissez un lieu' },
      ...venues.map((v) => ({ value: String(v.id), label: `${v.name} (${v.commune})${v.organisationId === null ? ' – lieu partagé du territoire' : ''}` })),
      { value: 'new', label: 'Nouveau lieu (à décrire ci-dessous)' },
      { value: 'none', label: 'Pas de lieu : en ligne uniquement' },
    ];
    const title = event ? `Modifier « ${event.title} »` : 'Proposer un événement';
    return reply.page(
      'events/form',
      {
        ...context,
        edition: edition ? { ...edition, firstDayLabel: formatCalendarDay(edition.firstDay), lastDayLabel: formatCalendarDay(edition.lastDay) } : null,
        event: event ? { id: event.id, state: event.state, stateLabel: EVENT_STATE_LABELS[event.state], title: event.title } : null,
        action: event ? `/espace/evenements/${event.id}/modifier` : `/espace/organisations/${context.organisationId}/evenements/nouveau`,
        canSubmit: !event || canTransition('submit', event.state),
        values,
        choices,
        outsideEdition: page.result?.outsideEdition ?? page.outsideEdition ?? false,
        options: { ...OPTIONS, venue: venueOptions },
      },
      { title, errors: page.errors, personal: true },
    );
  }

  async function newEventContext(request: FastifyRequest) {
    const organisationId = idParam(request, 'orgId');
    const { organisation, territory } = await organisationForMember(db, currentUser(request), organisationId);
    return {
      organisationId,
      organisationName: organisation.name,
      territoryId: territory.id,
      territoryName: territory.name,
      zone: territory.timeZone,
    };
  }

  function formContext(ctx: EventContext) {
    return {
      organisationId: ctx.organisation.id,
      organisationName: ctx.organisation.name,
      territoryId: ctx.territory.id,
      territoryName: ctx.territory.name,
      zone: ctx.territory.timeZone,
    };
  }

  async function venueIds(organisationId: number, territoryId: number, current: number | null = null) {
    const ids = (await usableVenues(db, organisationId, territoryId)).map((v) => v.id);
    return current === null ? ids : [...ids, current];
  }

  /** After saving: « Proposer » also submits; a refusal to submit still keeps what was saved. */
  async function afterSave(request: FastifyRequest, eventId: number, body: Body, outsideEdition: boolean, saved: string) {
    const now = clock.now();
    const notice = outsideEdition ? " Ses dates sont en dehors de l'édition : la coordination devra les accepter." : '';
    if (messageField(body, 'action') === 'submit') {
      try {
        await submit(db, eventId, { actorUserId: currentUser(request).id, now });
        setFlash(request, `Votre proposition est envoyée à la coordination, qui va la relire.${notice}`);
      } catch (error) {
        if (!(error instanceof EventRuleError)) throw error;
        setFlash(request, `${saved} Mais la proposition n'a pas pu être envoyée : ${error.message}`);
      }
    } else setFlash(request, `${saved}${notice}`);
  }

  app.get('/espace/organisations/:orgId/evenements/nouveau', async (request, reply) => {
    const context = await newEventContext(request);
    return formPage(reply, { context, edition: await openEdition(db), values: emptyEventForm() });
  });

  app.post('/espace/organisations/:orgId/evenements/nouveau', async (request, reply) => {
    const context = await newEventContext(request);
    const edition = await openEdition(db);
    if (!edition) throw new HttpError(409, "Aucune édition n'est ouverte aux propositions pour le moment.");
    const body = request.body as Body;
    const result = parseEventForm(body, { zone: context.zone, edition, venueIds: await venueIds(context.organisationId, context.territoryId) });
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
        await afterSave(request, created.id, body, result.outsideEdition, 'Brouillon enregistré.');
        return reply.redirect(`/espace/evenements/${created.id}`, 303);
      } catch (error) {
        errors = [asFieldError(error)];
      }
    }
    return formPage(reply, { context, edition, values: result.values, result, errors });
  });

  app.get('/espace/evenements/:id/modifier', async (request, reply) => {
    const ctx = await eventForOrganiser(db, currentUser(request), idParam(request, 'id'));
    if (!isEditable(ctx.event.state))
      throw new HttpError(409, `Cet événement est « ${EVENT_STATE_LABELS[ctx.event.state]} » : il ne peut plus être modifié.`);
    const values = eventToFormValues(ctx.event, ctx.territory.timeZone);
    const outsideEdition = !ctx.event.outsideEditionApproved && isOutsideEdition(ctx.event.startsAt, ctx.event.endsAt, ctx.edition, ctx.territory.timeZone);
    return formPage(reply, { context: formContext(ctx), edition: ctx.edition, event: ctx.event, values, outsideEdition });
  });

  app.post('/espace/evenements/:id/modifier', async (request, reply) => {
    const ctx = await eventForOrganiser(db, currentUser(request), idParam(request, 'id'));
    const context = formContext(ctx);
    const body = request.body as Body;
    const result = parseEventForm(body, { zone: context.zone, edition: ctx.edition, venueIds: await venueIds(context.organisationId, context.territoryId, ctx.event.venueId) });
    let errors = result.errors;
    if (result.fields && result.venue) {
      try {
        const saved = await updateEvent(db, ctx.event.id, { fields: result.fields, venue: result.venue, actorUserId: currentUser(request).id, now: clock.now() });
        if (saved.announced) setFlash(request, 'Modifications enregistrées. Les personnes inscrites vont être prévenues du changement.');
        else await afterSave(request, ctx.event.id, body, result.outsideEdition, 'Modifications enregistrées.');
        return reply.redirect(`/espace/evenements/${ctx.event.id}`, 303);
      } catch (error) {
        errors = [asFieldError(error)];
      }
    }
    return formPage(reply, { context, edition: ctx.edition, event: ctx.event, values: result.values, result, errors });
  });

  // ——— The organiser's event page ———

  async function showPage(request: FastifyRequest, reply: FastifyReply, ctx: EventContext, form: { errors?: FieldError[]; reason?: string } = {}) {
    const zone = ctx.territory.timeZone;
    const history = await historyOf(db, ctx.event.id);
    const flash = takeFlash(request);
    return reply.page(
      'events/show',
      {
        ...eventView(ctx),
        decision: lastDecision(history),
        history: historyForView(history, zone),
        can: {
          edit: isEditable(ctx.event.state),
          submit: canTransition('submit', ctx.event.state),
          cancel: canTransition('cancel', ctx.event.state),
        },
        reason: form.reason ?? '',
        flash,
      },
      { title: ctx.event.title, errors: form.errors, personal: true, statusMessage: flash },
    );
  }

  /** What the event pages show about an event, whoever looks. */
  function eventView(ctx: EventContext) {
    const zone = ctx.territory.timeZone;
    return {
      event: ctx.event,
      zone,
      stateLabel: EVENT_STATE_LABELS[ctx.event.state],
      organisation: ctx.organisation,
      territory: ctx.territory,
      edition: { ...ctx.edition, firstDayLabel: formatCalendarDay(ctx.edition.firstDay), lastDayLabel: formatCalendarDay(ctx.edition.lastDay) },
      venue: ctx.venue,
      venueFacts: ctx.venue ? venueFacts(ctx.venue).map((f) => VENUE_FACT_LABELS[f]) : [],
      outsideEdition: isOutsideEdition(ctx.event.startsAt, ctx.event.endsAt, ctx.edition, zone),
    };
  }

  app.get('/espace/evenements/:id', async (request, reply) => {
    const ctx = await eventForOrganiser(db, currentUser(request), idParam(request, 'id'));
    return showPage(request, reply, ctx);
  });

  app.post('/espace/evenements/:id/soumettre', async (request, reply) => {
    const ctx = await eventForOrganiser(db, currentUser(request), idParam(request, 'id'));
    await orConflict(submit(db, ctx.event.id, { actorUserId: currentUser(request).id, now: clock.now() }));
    setFlash(request, 'Votre proposition est envoyée à la coordination, qui va la relire.');
    return reply.redirect(`/espace/evenements/${ctx.event.id}`, 303);
  });

  app.post('/espace/evenements/:id/annuler', async (request, reply) => {
    const ctx = await eventForOrganiser(db, currentUser(request), idParam(request, 'id'));
    const reason = messageField(request.body as Body, 'reason');
    try {
      await cancel(db, ctx.event.id, { actorUserId: currentUser(request).id, reason, now: clock.now() });
    } catch (error) {
      return showPage(request, reply, ctx, { errors: [asFieldError(error)], reason });
    }
    setFlash(request, "L'événement est annulé. Les personnes inscrites vont être prévenues.");
    return reply.redirect(`/espace/evenements/${ctx.event.id}`, 303);
  });

  // The public page's own template (the programme feature's), fed with the event as it stands.
  app.get('/espace/evenements/:id/apercu', async (request, reply) => {
    const ctx = await eventForOrganiser(db, currentUser(request), idParam(request, 'id'));
    const published = await getPublicEvent(db, ctx.event.id);
    const view = presentEvent(previewShape(ctx, published ?? { taken: 0, waiting: false }), clock.now());
    const preview = await reply.renderTemplate('events-public/show', eventPageData(config, view, { eventId: ctx.event.id, organisationId: ctx.event.organisationId, jsonLd: '{}' }));
    return reply.page('events/preview', { ...eventView(ctx), preview }, { title: `Aperçu : ${ctx.event.title}`, personal: true });
  });

  app.get('/espace/organisations/:orgId/evenements', async (request, reply) => {
    const organisationId = idParam(request, 'orgId');
    const { organisation, territory } = await organisationForMember(db, currentUser(request), organisationId);
    const events = await organisationEvents(db, organisationId);
    return reply.page('events/list', { organisation, zone: territory.timeZone, events }, { title: `Événements de ${organisation.name}`, personal: true });
  });

  // ——— Venues ———

  app.get('/espace/organisations/:orgId/lieux', async (request, reply) => {
    const organisationId = idParam(request, 'orgId');
    const { organisation } = await organisationForMember(db, currentUser(request), organisationId);
    const venues = (await organisationVenues(db, organisationId)).map((v) => ({ ...v, facts: venueFacts(v).map((f) => VENUE_FACT_LABELS[f]) }));
    const flash = takeFlash(request);
    return reply.page('events/venues', { organisation, venues, flash }, { title: `Lieux de ${organisation.name}`, personal: true, statusMessage: flash });
  });

  function venueFormPage(reply: FastifyReply, data: { organisation: { id: number; name: string }; venueId?: number; values: VenueFormValues }, errors: FieldError[] = []) {
    const action = data.venueId
      ? `/espace/organisations/${data.organisation.id}/lieux/${data.venueId}/modifier`
      : `/espace/organisations/${data.organisation.id}/lieux/nouveau`;
    return reply.page(
      'events/venue-form',
      { ...data, action, options: OPTIONS },
      { title: data.venueId ? `Modifier le lieu « ${data.values.venueName} »` : 'Ajouter un lieu', errors, personal: true },
    );
  }

  app.get('/espace/organisations/:orgId/lieux/nouveau', async (request, reply) => {
    const { organisation } = await organisationForMember(db, currentUser(request), idParam(request, 'orgId'));
    return venueFormPage(reply, { organisation, values: venueFormValues({}) });
  });

  app.post('/espace/organisations/:orgId/lieux/nouveau', async (request, reply) => {
    const { organisation, territory } = await organisationForMember(db, currentUser(request), idParam(request, 'orgId'));
    const parsed = parseVenueForm(request.body as Body);
    if (parsed.errors.length > 0) return venueFormPage(reply, { organisation, values: parsed.values }, parsed.errors);
    await createVenue(db, organisation.id, territory.id, parsed.fields);
    setFlash(request, `Le lieu « ${parsed.fields.name} » est ajouté.`);
    return reply.redirect(`/espace/organisations/${organisation.id}/lieux`, 303);
  });

  app.get('/espace/organisations/:orgId/lieux/:venueId/modifier', async (request, reply) => {
    const organisationId = idParam(request, 'orgId');
    const { venue, organisation } = await venueForMember(db, currentUser(request), organisationId, idParam(request, 'venueId'));
    return venueFormPage(reply, { organisation, venueId: venue.id, values: venueToFormValues(venue) });
  });

  app.post('/espace/organisations/:orgId/lieux/:venueId/modifier', async (request, reply) => {
    const organisationId = idParam(request, 'orgId');
    const { venue, organisation } = await venueForMember(db, currentUser(request), organisationId, idParam(request, 'venueId'));
    const parsed = parseVenueForm(request.body as Body);
    if (parsed.errors.length > 0) return venueFormPage(reply, { organisation, venueId: venue.id, values: parsed.values }, parsed.errors);
    const { announced } = await updateVenue(db, venue.id, parsed.fields, currentUser(request).id, clock.now());
    setFlash(
      request,
      announced > 0
        ? `Le lieu « ${parsed.fields.name} » est modifié. Les personnes inscrites aux événements publiés qui s'y tiennent (${announced}) vont être prévenues du changement.`
        : `Le lieu « ${parsed.fields.name} » est modifié.`,
    );
    return reply.redirect(`/espace/organisations/${organisation.id}/lieux`, 303);
  });

  // ——— Coordination ———

  app.get('/coordination/:territoryId', async (request, reply) => {
    const territory = await territoryForCoordinator(db, currentUser(request), idParam(request, 'territoryId'));
    const all = await editions(db);
    const year = Number((request.query as Record<string, unknown>).annee);
    const edition = all.find((e) => e.year === year) ?? all[0];
    const overview = edition ? await territoryOverview(db, territory, edition) : null;
    return reply.page(
      'events/overview',
      {
        territory,
        editions: all,
        edition: edition ? { ...edition, firstDayLabel: formatCalendarDay(edition.firstDay), lastDayLabel: formatCalendarDay(edition.lastDay) } : null,
        overview,
        stateLabels: EVENT_STATE_LABELS,
        formatDay: formatCalendarDay,
      },
      { title: `Coordination : ${territory.name}`, personal: true },
    );
  });

  app.get('/coordination/:territoryId/propositions', async (request, reply) => {
    const territory = await territoryForCoordinator(db, currentUser(request), idParam(request, 'territoryId'));
    const queue = (await proposalQueue(db, territory.id)).map((item) => ({
      ...item,
      changeLines: item.changes ? changeLines(item.changes, territory.timeZone) : null,
    }));
    const flash = takeFlash(request);
    return reply.page('events/queue', { territory, queue, flash }, { title: `Propositions à relire : ${territory.name}`, personal: true, statusMessage: flash });
  });

  async function reviewPage(request: FastifyRequest, reply: FastifyReply, ctx: EventContext, form: { errors?: FieldError[]; values?: Record<string, string>; status?: number } = {}) {
    const zone = ctx.territory.timeZone;
    const history = await historyOf(db, ctx.event.id);
    const changes = ctx.event.state === 'submitted' ? changesSinceLastReview(history, currentSnapshot(ctx)) : null;
    const flash = takeFlash(request);
    return reply.page(
      'events/review',
      {
        ...eventView(ctx),
        changes: changes ? changeLines(changes, zone) : null,
        editedSincePublication: ctx.event.state === 'published' ? editsSincePublication(history) : null,
        history: historyForView(history, zone),
        can: {
          review: ctx.event.state === 'submitted',
          cancel: canTransition('cancel', ctx.event.state),
        },
        values: { publishMessage: '', changesMessage: '', refuseMessage: '', cancelReason: '', ...form.values },
        version: ctx.event.updatedAt.toISOString(),
        flash,
      },
      { title: `Relecture : ${ctx.event.title}`, errors: form.errors, status: form.status, personal: true, statusMessage: flash },
    );
  }

  app.get('/coordination/evenements/:id', async (request, reply) => {
    const ctx = await eventForCoordinator(db, currentUser(request), idParam(request, 'id'));
    return reviewPage(request, reply, ctx);
  });

  /** One moderation action: a POST with a message, re-rendering the review page on a refusal. */
  function moderation(
    path: string,
    field: string,
    act: (ctx: EventContext, body: Body, actorUserId: number, now: Date) => Promise<unknown>,
    done: (ctx: EventContext) => { flash: string; redirect?: string },
  ) {
    app.post(`/coordination/evenements/:id/${path}`, async (request, reply) => {
      const ctx = await eventForCoordinator(db, currentUser(request), idParam(request, 'id'));
      const body = request.body as Body;
      try {
        await act(ctx, body, currentUser(request).id, clock.now());
      } catch (error) {
        // Changed while the coordinator read it: the page again, as it is now, what they wrote kept.
        if (error instanceof EventRuleError && error.code === 'changed_since_seen') {
          const current = await eventForCoordinator(db, currentUser(request), ctx.event.id);
          return reviewPage(request, reply, current, { errors: [{ field: 'la-proposition', message: error.message }], values: { [field]: messageField(body, field) }, status: 409 });
        }
        const fieldError = asFieldError(error, (f) => (f === 'message' || f === 'reason' ? field : f));
        return reviewPage(request, reply, ctx, { errors: [fieldError], values: { [field]: messageField(body, field) } });
      }
      const { flash, redirect } = done(ctx);
      setFlash(request, flash);
      return reply.redirect(redirect ?? `/coordination/evenements/${ctx.event.id}`, 303);
    });
  }

  const backToQueue = (ctx: EventContext) => `/coordination/${ctx.event.territoryId}/propositions`;
  /** The version the review form was rendered with; an unreadable one counts as outdated. */
  const seenVersion = (body: Body) => {
    const raw = messageField(body, 'version');
    return raw ? new Date(raw) : undefined;
  };

  moderation(
    'publier',
    'publishMessage',
    (ctx, body, actorUserId, now) =>
      publish(db, ctx.event.id, { actorUserId, now, seenVersion: seenVersion(body), outsideEditionApproved: checkbox(body, 'outsideEditionApproved'), message: messageField(body, 'publishMessage') }),
    (ctx) => ({ flash: `« ${ctx.event.title} » est publié. L'organisation est prévenue.`, redirect: backToQueue(ctx) }),
  );
  moderation(
    'demander-des-modifications',
    'changesMessage',
    (ctx, body, actorUserId, now) => requestChanges(db, ctx.event.id, { actorUserId, now, seenVersion: seenVersion(body), message: messageField(body, 'changesMessage') }),
    (ctx) => ({ flash: `Votre demande de modifications sur « ${ctx.event.title} » est envoyée à l'organisation.`, redirect: backToQueue(ctx) }),
  );
  moderation(
    'refuser',
    'refuseMessage',
    (ctx, body, actorUserId, now) => refuse(db, ctx.event.id, { actorUserId, now, seenVersion: seenVersion(body), message: messageField(body, 'refuseMessage') }),
    (ctx) => ({ flash: `« ${ctx.event.title} » est refusé. L'organisation est prévenue.`, redirect: backToQueue(ctx) }),
  );
  moderation(
    'annuler',
    'cancelReason',
    (ctx, body, actorUserId, now) => cancel(db, ctx.event.id, { actorUserId, now, reason: messageField(body, 'cancelReason') }),
    (ctx) => ({ flash: `« ${ctx.event.title} » est annulé. L'organisation et les personnes inscrites vont être prévenues.` }),
  );
};

export default eventsRoutes;
