// HTTP for registrations, resident side: the form, the result, the person's own manage page
// (a capability link). Thin: parse, call the service, render or redirect (303). The organiser
// side lives in organiser-routes.ts and is registered from here, so app.ts has one line.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { formatNumber, t } from '../i18n/index.ts';
import { notFound, HttpError } from '../plugins/errors.ts';
import type { FieldError } from '../plugins/views.ts';
import {
  emptyFormValues,
  formValues,
  parseConfirmation,
  parseContactChange,
  parseNeedsChange,
  parseRegistration,
  parseResend,
  parseSeatsChange,
  type FormBody,
  type RegistrationFormValues,
} from './schemas.ts';
import { cancelRegistration, changeNeeds, changeSeats, eraseRegistration, findByToken, personalData, type ManagedRegistration } from './manage.ts';
import { changeContact } from './contact.ts';
import { registerResident, resendLinks, resendManageLink, type RegisterRefusal } from './register.ts';
import { deadlinePassed, publicRegistrationEvent, type RegistrationEvent } from './registration-event.ts';
import { displayPhone } from './phone.ts';
import { eventIcsFileName, registrationCalendar } from '../calendar/index.ts';
import { parseId } from '../plugins/params.ts';
import { formErrorStatus, noStoreIfNeeds, registrationFormView, registrationView, storedContact } from './view-models.ts';
import organiserRoutes from './organiser-routes.ts';

/** Pages that show a person's registration: never cached, never sent as referrer (the URL is the key). */
function privatePage(reply: FastifyReply): void {
  reply.header('Referrer-Policy', 'no-referrer');
}

function refusalStatus(reason: RegisterRefusal): number {
  return reason === 'event_not_found' ? 404 : 409;
}

/** What the manage page says after a change (its `fait` query), in the page's language. */
const DONE_MESSAGES: Record<string, () => string> = {
  places: () => t('registrations:done.places'),
  'places-confirmee': () => t('registrations:done.placesConfirmed'),
  besoins: () => t('registrations:done.needs'),
  'besoins-effaces': () => t('registrations:done.needsErased'),
  annulation: () => t('registrations:done.cancelled'),
  'liste-attente-quittee': () => t('registrations:done.leftWaitlist'),
  coordonnees: () => t('registrations:done.contact'),
  'nouvelle-adresse': () => t('registrations:done.newAddress'),
  'lien-agenda': () => t('registrations:done.feedLink'),
};

/** « Recevoir à nouveau mon lien » when the event is not known (a dead manage link). */
const RESEND_PATH = '/inscription/recevoir-mon-lien';

/** The result page's query flag: the needs ticked without consent were not recorded. */
const NEEDS_DROPPED = 'besoins-non-enregistres';

const registrationRoutes: FastifyPluginAsync<FeatureOptions> = async (app, opts) => {
  const { db, config, clock } = opts;

  async function loadEvent(rawId: string): Promise<RegistrationEvent> {
    const ev = await publicRegistrationEvent(db, parseId(rawId));
    if (!ev) throw notFound();
    return ev;
  }

  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    ev: RegistrationEvent,
    values: RegistrationFormValues,
    options: { errors?: FieldError[]; status?: number; duplicateContact?: string | null } = {},
  ) {
    const data = await registrationFormView(db, config, ev, clock.now(), values, {
      action: `/evenements/${ev.id}/inscription`,
      organiser: false,
      duplicateContact: options.duplicateContact,
    });
    noStoreIfNeeds(reply, values);
    // An htmx submit swaps only the form panel; a full page otherwise.
    const template = request.isHtmxFragment && request.method === 'POST' ? 'registrations/_form-panel' : 'registrations/register';
    return reply.page(template, data, {
      title: t('registrations:form.title', { title: ev.title }),
      errors: options.errors,
      status: options.status,
      statusMessage: options.errors?.length ? t('registrations:form.errorCount', { count: options.errors.length, n: formatNumber(options.errors.length) }) : undefined,
    });
  }

  app.get<{ Params: { id: string } }>('/evenements/:id/inscription', async (request, reply) => {
    const ev = await loadEvent(request.params.id);
    return showForm(request, reply, ev, emptyFormValues());
  });

  app.post<{ Params: { id: string }; Body: FormBody }>(
    '/evenements/:id/inscription',
    { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const ev = await loadEvent(request.params.id);
      const body = request.body ?? {};
      const parsed = parseRegistration(body, 'drop');
      if (!parsed.ok) return showForm(request, reply, ev, formValues(body), { errors: parsed.errors, status: formErrorStatus(request) });

      const { needsDropped, ...input } = parsed.value;
      const result = await registerResident(db, clock.now(), ev.id, input, { needsDropped });
      if (result.answer === 'refused') {
        // Only a phone without texts is told it is registered already (decision 0014): the page
        // is the one way that person has to their link. (An address is never refused as a duplicate.)
        if (result.reason === 'duplicate_phone') {
          const errors = [
            { field: 'telephone', message: t('registrations:errors.duplicatePhone') },
          ];
          return showForm(request, reply, ev, formValues(body), { errors, status: formErrorStatus(request, 409), duplicateContact: formValues(body).telephone });
        }
        if (result.reason === 'event_not_found') throw notFound();
        if (result.reason === 'needs_without_consent') throw new HttpError(400, t('registrations:errors.needsWithoutConsent'));
        // The window closed (or the event was cancelled) between the page and the submit.
        return showForm(request, reply, await loadEvent(request.params.id), formValues(body), { status: formErrorStatus(request, refusalStatus(result.reason)) });
      }
      // The answer has its own address in both modes, so that a reload or a bookmark shows it
      // again. htmx navigates there (HX-Redirect): a whole page, whose title and heading say what
      // happened. With a link sent, the same address whether the person was registered or not,
      // and nothing personal in it; shown on the page, the registration's own result page (a
      // phone-only person has no other copy of the manage link).
      const query = new URLSearchParams();
      if (result.answer === 'link_sent') query.set('par', result.channel === 'sms' ? 'sms' : 'e-mail');
      if (needsDropped) query.set(NEEDS_DROPPED, '1');
      const path = result.answer === 'link_sent' ? `/evenements/${ev.id}/inscription/demande-envoyee` : `/inscription/${result.token}/confirmation`;
      const answer = query.size > 0 ? `${path}?${query}` : path;
      if (request.isHtmxFragment) return reply.header('HX-Redirect', answer).code(204).send();
      return reply.redirect(answer, 303);
    },
  );

  // The answer to a registration whose link goes by e-mail or SMS: the same bytes whether the
  // address was known or not (decision 0014). What it says depends only on the event, the clock
  // and the query, which the form's contents decided.
  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>('/evenements/:id/inscription/demande-envoyee', async (request, reply) => {
    const ev = await loadEvent(request.params.id);
    const bySms = request.query.par === 'sms';
    const needsDropped = request.query[NEEDS_DROPPED] !== undefined;
    return reply.page(
      'registrations/requested',
      { event: ev, bySms, needsDropped, deadlinePassed: deadlinePassed(ev, clock.now()) },
      {
        title: t('registrations:requested.title'),
        statusMessage: t('registrations:requested.status') + (needsDropped ? t('registrations:requested.statusNeedsDropped') : ''),
      },
    );
  });

  // « Recevoir à nouveau mon lien »: for one event (from its page, or the « already registered »
  // answer), or for every registration to come (from the page of a dead manage link).
  async function showResend(reply: FastifyReply, ev: RegistrationEvent | null, options: { errors?: FieldError[]; value?: string } = {}) {
    const action = ev ? `/evenements/${ev.id}/inscription/renvoyer-lien` : RESEND_PATH;
    return reply.page(
      'registrations/resend',
      { event: ev, action, value: options.value ?? '' },
      { title: t('registrations:resend.title'), errors: options.errors, status: options.errors ? 422 : undefined },
    );
  }

  async function resend(request: FastifyRequest<{ Body: FormBody }>, reply: FastifyReply, ev: RegistrationEvent | null) {
    const parsed = parseResend(request.body ?? {});
    if (!parsed.ok) return showResend(reply, ev, { errors: parsed.errors, value: String(request.body?.contact ?? request.body?.email ?? '') });
    await resendManageLink(db, clock.now(), parsed.value, ev?.id);
    const who = 'email' in parsed.value ? { email: parsed.value.email, phone: null } : { email: null, phone: displayPhone(parsed.value.phone) };
    return reply.page('registrations/resent', { event: ev, ...who }, { title: t('registrations:resent.title'), statusMessage: t('registrations:resent.status') });
  }

  const resendLimit = { config: { rateLimit: { max: 5, timeWindow: '1 minute' } } };
  app.get<{ Params: { id: string } }>('/evenements/:id/inscription/renvoyer-lien', async (request, reply) => showResend(reply, await loadEvent(request.params.id)));
  app.post<{ Params: { id: string }; Body: FormBody }>('/evenements/:id/inscription/renvoyer-lien', resendLimit, async (request, reply) =>
    resend(request, reply, await loadEvent(request.params.id)),
  );
  app.get(RESEND_PATH, async (_request, reply) => showResend(reply, null));
  app.post<{ Body: FormBody }>(RESEND_PATH, resendLimit, async (request, reply) => resend(request, reply, null));

  // ——— The person's own pages (capability link: the token is the key) ———

  async function loadManaged(token: string): Promise<ManagedRegistration> {
    const r = await findByToken(db, token);
    if (!r) throw notFound(t('registrations:errors.unknownLink'), { href: RESEND_PATH, label: t('registrations:resendForm.button') });
    return r;
  }

  async function showManage(
    reply: FastifyReply,
    r: ManagedRegistration,
    token: string,
    options: { errors?: FieldError[]; status?: number; done?: string; needValues?: RegistrationFormValues; contactValues?: RegistrationFormValues } = {},
  ) {
    privatePage(reply);
    const message = options.done ? DONE_MESSAGES[options.done]?.() : undefined;
    const needValues = options.needValues ?? {
      ...emptyFormValues(),
      besoins: r.needs.map((n) => n.category),
      precisions: Object.fromEntries(r.needs.map((n) => [n.category, n.detail ?? ''])),
      consentement: r.needsConsentAt !== null,
    };
    return reply.page(
      'registrations/manage',
      { ...registrationView(config, r, token, clock.now()), done: message ?? null, needValues, contactValues: options.contactValues ?? storedContact(r) },
      { title: t('registrations:manage.title', { title: r.event.title }), personal: true, errors: options.errors, status: options.status, statusMessage: message },
    );
  }

  app.get('/inscription/effacee', async (_request, reply) =>
    reply.page('registrations/erased', {}, { title: t('registrations:erased.title'), statusMessage: t('registrations:erased.status') }),
  );

  app.get<{ Params: { token: string }; Querystring: Record<string, string | undefined> }>('/inscription/:token/confirmation', async (request, reply) => {
    const r = await loadManaged(request.params.token);
    privatePage(reply);
    const needsDropped = request.query[NEEDS_DROPPED] !== undefined;
    return reply.page('registrations/result', registrationView(config, r, request.params.token, clock.now(), { needsDropped }), {
      title: r.state === 'confirmed' ? t('registrations:result.titleConfirmed') : r.state === 'waitlisted' ? t('registrations:result.titleWaitlisted') : t('registrations:result.titleCancelled'),
      personal: true,
      statusMessage:
        (r.state === 'confirmed'
          ? t('registrations:result.statusConfirmed')
          : r.state === 'waitlisted'
            ? t('registrations:result.statusWaitlisted', { position: r.waitlistPosition })
            : t('registrations:result.statusCancelled')) + (needsDropped ? t('registrations:requested.statusNeedsDropped') : ''),
    });
  });

  app.get<{ Params: { token: string }; Querystring: { fait?: string } }>('/inscription/:token', async (request, reply) => {
    const r = await loadManaged(request.params.token);
    return showManage(reply, r, request.params.token, { done: request.query.fait });
  });

  app.post<{ Params: { token: string }; Body: FormBody }>('/inscription/:token/places', async (request, reply) => {
    const { token } = request.params;
    const r = await loadManaged(token);
    const parsed = parseSeatsChange(request.body ?? {});
    if (!parsed.ok) return showManage(reply, r, token, { errors: parsed.errors });
    const result = await changeSeats(db, clock.now(), r.id, parsed.value);
    if (!result.ok) {
      const message =
        result.reason === 'no_room'
          ? t('registrations:errors.noRoom', { available: result.available, wanted: parsed.value, seats: r.seats })
          : result.reason === 'closed'
            ? t('registrations:errors.closedSeats', { seats: r.seats })
            : t('registrations:errors.cancelledSeats');
      return showManage(reply, await loadManaged(token), token, { errors: [{ field: 'places', message }], status: 409 });
    }
    if (result.promoted) return reply.redirect(`/inscription/${token}?fait=places-confirmee`, 303);
    return reply.redirect(`/inscription/${token}?fait=places`, 303);
  });

  app.post<{ Params: { token: string }; Body: FormBody }>('/inscription/:token/besoins', async (request, reply) => {
    const { token } = request.params;
    const r = await loadManaged(token);
    const body = request.body ?? {};
    const parsed = parseNeedsChange(body);
    if (!parsed.ok) return showManage(reply, r, token, { errors: parsed.errors, needValues: formValues(body) });
    const result = await changeNeeds(db, clock.now(), r.id, parsed.value.needs, parsed.value.consent);
    if (!result.ok) {
      if (result.reason === 'not_found') return loadManaged(token); // erased meanwhile: the link's own 404
      const error =
        result.reason === 'cancelled'
          ? { field: 'besoins-titre', message: t('registrations:errors.cancelledNeeds') }
          : { field: 'consentement', message: t('registrations:errors.needsConsent') };
      return showManage(reply, await loadManaged(token), token, { errors: [error], status: 409, needValues: formValues(body) });
    }
    return reply.redirect(`/inscription/${token}?fait=${parsed.value.needs.length > 0 ? 'besoins' : 'besoins-effaces'}`, 303);
  });

  // Limited per address: changing the address to another one answers whether that one is
  // registered to the event (docs/decisions/0014), so it must not be tried in bulk.
  app.post<{ Params: { token: string }; Body: FormBody }>('/inscription/:token/coordonnees', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const { token } = request.params;
    const r = await loadManaged(token);
    const body = request.body ?? {};
    const parsed = parseContactChange(body, r.onBehalf);
    // What was typed comes back with the errors; nothing stored is touched.
    if (!parsed.ok) return showManage(reply, r, token, { errors: parsed.errors, status: 400, contactValues: formValues(body) });
    const result = await changeContact(db, clock.now(), r.id, parsed.value, token);
    if (!result.ok) {
      if (result.reason === 'not_found') return loadManaged(token);
      const errors = [{ field: 'email', message: t('registrations:errors.emailTaken') }];
      return showManage(reply, r, token, { errors, status: 409, contactValues: formValues(body) });
    }
    return reply.redirect(`/inscription/${token}?fait=${result.addressChanged ? 'nouvelle-adresse' : 'coordonnees'}`, 303);
  });

  app.post<{ Params: { token: string }; Body: FormBody }>('/inscription/:token/annuler', async (request, reply) => {
    const { token } = request.params;
    const r = await loadManaged(token);
    // Someone on the waiting list leaves it: the same cancellation, in the words of the waitlist.
    const waiting = r.state === 'waitlisted';
    const confirmed = parseConfirmation(
      request.body ?? {},
      'confirmer-annulation',
      waiting ? t('registrations:errors.confirmLeave') : t('registrations:errors.confirmCancel'),
    );
    if (!confirmed.ok) return showManage(reply, r, token, { errors: confirmed.errors });
    await cancelRegistration(db, clock.now(), r.id);
    return reply.redirect(`/inscription/${token}?fait=${waiting ? 'liste-attente-quittee' : 'annulation'}`, 303);
  });

  app.post<{ Params: { token: string } }>('/inscription/:token/mes-donnees', async (request, reply) => {
    const r = await loadManaged(request.params.token);
    privatePage(reply);
    return reply
      .header('Cache-Control', 'no-store')
      .header('Content-Disposition', `attachment; filename="mes-donnees-inscription-${r.id}.json"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(personalData(r, clock.now()), null, 2));
  });

  app.post<{ Params: { token: string }; Body: FormBody }>('/inscription/:token/effacer', async (request, reply) => {
    const { token } = request.params;
    const r = await loadManaged(token);
    const confirmed = parseConfirmation(request.body ?? {}, 'confirmer-effacement', t('registrations:errors.confirmErase'));
    if (!confirmed.ok) return showManage(reply, r, token, { errors: confirmed.errors });
    await eraseRegistration(db, config, clock.now(), r.id);
    return reply.redirect('/inscription/effacee', 303);
  });

  // « Ajouter à mon agenda »: this registration's entry, with the UID of its invites and of the
  // personal feed, so a later cancellation invite removes this very entry. A download changes nothing.
  app.get<{ Params: { token: string } }>('/inscription/:token/agenda.ics', async (request, reply) => {
    const r = await loadManaged(request.params.token);
    const text = await registrationCalendar(db, config, r);
    if (!text) throw notFound(t('registrations:errors.nothingToAdd'));
    privatePage(reply);
    return reply
      .header('Cache-Control', 'no-store')
      .header('Content-Disposition', `attachment; filename="${eventIcsFileName(r.event.id, r.event.title)}"`)
      .type('text/calendar; charset=utf-8')
      .send(text);
  });

  // « M'envoyer le lien de mon agenda personnel »: the feed link goes only by mail, to the
  // registration's address (holding it must prove access to that mailbox).
  app.post<{ Params: { token: string } }>('/inscription/:token/agenda-personnel', async (request, reply) => {
    const { token } = request.params;
    const r = await loadManaged(token);
    const sent = await resendLinks(db, clock.now(), r.id);
    if ('refused' in sent) {
      const message =
        sent.refused === 'cancelled'
          ? t('registrations:errors.feedCancelled')
          : t('registrations:errors.feedNoAddress');
      return showManage(reply, r, token, { errors: [{ field: 'agenda-titre', message }], status: 409 });
    }
    return reply.redirect(`/inscription/${token}?fait=lien-agenda`, 303);
  });

  await app.register(organiserRoutes, opts);
};

export default registrationRoutes;
