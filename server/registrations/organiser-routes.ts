// HTTP for the organiser's side of registrations (signed in; organisation members and the
// territory's coordinators, through canManageEvent, checked once in the hook). Every page or export that shows access
// needs reads them through readRegistrations, which writes the audit row.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { canManageEvent, signedInWith } from '../accounts/index.ts';
import { forbidden, notFound } from '../plugins/errors.ts';
import type { FieldError } from '../plugins/views.ts';
import { attendeesCsv } from './csv.ts';
import { aggregateText, answerNeed, readRegistrations } from './organiser.ts';
import { checkInList, checkInQuery, foundText, toggleCheckIn } from './checkin.ts';
import { markCalled, openCalls } from './call-list.ts';
import { MESSAGE_BODY_MAX, MESSAGE_SUBJECT_MAX, emptyFormValues, formValues, one, parseMessage, parseNeedAnswer, parseRegistration, type FormBody, type RegistrationFormValues } from './schemas.ts';
import { messageAudience, messagesOf, writeToRegistrants } from './messages.ts';
import { recordRegistration } from './register.ts';
import { getRegistrationEvent, type RegistrationEvent } from './registration-event.ts';
import { idParam, parseId } from '../plugins/params.ts';
import { formErrorStatus, noStoreIfNeeds, registrationFormView } from './view-models.ts';
import { formatNumber, t } from '../i18n/index.ts';

/** The status line after an arrival is noted or removed. */
function toggledText(r: { name: string | null; checkedInAt: Date | null; arrived: number }): string {
  const values = { name: r.name ?? t('team:checkIn.toggled.someone'), arrived: r.arrived };
  return r.checkedInAt ? t('team:checkIn.toggled.marked', values) : t('team:checkIn.toggled.undone', values);
}

const organiserRoutes: FastifyPluginAsync<FeatureOptions> = async (app, opts) => {
  const { db, config, clock } = opts;

  // The event, if the signed-in user may manage it: 404 for an unknown id, 403 otherwise.
  const manager = signedInWith(async (request, user) => {
    const ev = await getRegistrationEvent(db, idParam(request, 'id'));
    if (!ev) throw notFound();
    if (!(await canManageEvent(db, user, ev))) throw forbidden(t('team:errors.notManager'));
    return { ev, userId: user.id };
  });
  app.addHook('preHandler', manager.hook);

  async function showList(
    reply: FastifyReply,
    ev: RegistrationEvent,
    userId: number,
    options: {
      errors?: FieldError[];
      status?: number;
      answerValues?: { needId: number; statut: string; reponse: string };
      created?: number;
      answered?: number;
      called?: boolean;
      sent?: number;
    } = {},
  ) {
    const now = clock.now();
    const lists = await readRegistrations(db, ev, { userId, action: 'needs.view' }, now);
    const [calls, messages] = await Promise.all([openCalls(db, ev.id), messagesOf(db, ev.id)]);
    const created = options.created ? [...lists.confirmed, ...lists.waitlisted].find((r) => r.id === options.created) ?? null : null;
    const sent = options.sent ? messages.find((m) => m.message.id === options.sent)?.message ?? null : null;
    reply.header('Referrer-Policy', 'no-referrer');
    return reply.page(
      'registrations/organiser/list',
      { event: ev, lists, calls, messages, aggregate: aggregateText(lists.needsAggregate), answerValues: options.answerValues ?? null, created, answered: options.answered ?? null, called: options.called === true, sent },
      {
        title: t('team:list.heading', { title: ev.title }),
        personal: true,
        errors: options.errors,
        status: options.status,
        statusMessage: created ? t('team:list.status.created') : options.answered ? t('team:list.status.answered') : options.called ? t('team:list.status.called') : sent ? t('team:list.status.sent') : undefined,
      },
    );
  }

  app.get<{ Params: { id: string }; Querystring: { nouvelle?: string; repondu?: string; prevenu?: string; message?: string } }>(
    '/espace/evenements/:id/inscriptions',
    async (request, reply) => {
      const { ev, userId } = manager.of(request);
      const asId = (raw?: string) => (raw && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined);
      const q = request.query;
      return showList(reply, ev, userId, { created: asId(q.nouvelle), answered: asId(q.repondu), called: q.prevenu !== undefined, sent: asId(q.message) });
    },
  );

  // « Écrire aux personnes inscrites »: one message to everyone confirmed or waiting, each on their channel.
  async function showMessageForm(reply: FastifyReply, ev: RegistrationEvent, values: { objet: string; message: string }, options: { errors?: FieldError[]; status?: number } = {}) {
    const { total, emails, texts, calls } = await messageAudience(db, ev.id);
    return reply.page(
      'registrations/organiser/message',
      { event: ev, values, audience: { total, emails, texts, calls }, limits: { subject: MESSAGE_SUBJECT_MAX, body: MESSAGE_BODY_MAX } },
      { title: t('team:message.title', { title: ev.title }), personal: true, errors: options.errors, status: options.status },
    );
  }

  app.get<{ Params: { id: string } }>('/espace/evenements/:id/message', async (request, reply) => showMessageForm(reply, manager.of(request).ev, { objet: '', message: '' }));

  app.post<{ Params: { id: string }; Body: FormBody }>('/espace/evenements/:id/message', async (request, reply) => {
    const { ev, userId } = manager.of(request);
    const body = request.body ?? {};
    const values = { objet: one(body, 'objet'), message: one(body, 'message') };
    const parsed = parseMessage(body);
    if (!parsed.ok) return showMessageForm(reply, ev, values, { errors: parsed.errors, status: 422 });
    const sent = await writeToRegistrants(db, clock.now(), { eventId: ev.id, authorUserId: userId, message: parsed.value });
    if (!sent) return showMessageForm(reply, ev, values, { errors: [{ field: 'message', message: t('team:message.nobodyError') }], status: 409 });
    return reply.redirect(`/espace/evenements/${ev.id}/inscriptions?message=${sent.id}#messages`, 303);
  });

  // « Marquer prévenu·e »: an entry of this event's call list only (another event's id is a 404).
  app.post<{ Params: { id: string; callId: string } }>('/espace/evenements/:id/appels/:callId', async (request, reply) => {
    const { ev, userId } = manager.of(request);
    const callId = parseId(request.params.callId);
    if (!(await markCalled(db, clock.now(), { eventId: ev.id, callId, userId }))) throw notFound(t('team:errors.noSuchCall'));
    // Names stay out of the address (logs, history): the page says it generically.
    return reply.redirect(`/espace/evenements/${ev.id}/inscriptions?prevenu=1#a-prevenir`, 303);
  });

  app.get<{ Params: { id: string } }>('/espace/evenements/:id/inscriptions.csv', async (request, reply) => {
    const { ev, userId } = manager.of(request);
    const now = clock.now();
    const lists = await readRegistrations(db, ev, { userId, action: 'needs.export' }, now);
    return reply
      .header('Cache-Control', 'no-store')
      .header('Content-Disposition', `attachment; filename="${t('team:csv.fileName', { id: ev.id })}"`)
      .type('text/csv; charset=utf-8')
      .send(attendeesCsv(lists, ev.timeZone));
  });

  app.post<{ Params: { id: string; needId: string }; Body: FormBody }>(
    '/espace/evenements/:id/besoins/:needId',
    async (request, reply) => {
      const { ev, userId } = manager.of(request);
      const needId = parseId(request.params.needId);
      const body = request.body ?? {};
      const parsed = parseNeedAnswer(body, needId);
      if (!parsed.ok) {
        const first = (name: string) => String((Array.isArray(body[name]) ? body[name][0] : body[name]) ?? '');
        return showList(reply, ev, userId, { errors: parsed.errors, answerValues: { needId, statut: first('statut'), reponse: first('reponse') } });
      }
      const result = await answerNeed(db, clock.now(), { eventId: ev.id, needId, userId, answer: parsed.value });
      if (!result.ok) throw notFound(t('team:errors.noSuchNeed'));
      return reply.redirect(`/espace/evenements/${ev.id}/inscriptions?repondu=${needId}#besoin-${needId}`, 303);
    },
  );

  // The list at the door: a plain GET search (?q=), whose results htmx swaps in place as a name is typed.
  app.get<{ Params: { id: string }; Querystring: { q?: unknown } }>('/espace/evenements/:id/emargement', async (request, reply) => {
    const { ev, userId } = manager.of(request);
    const lists = await readRegistrations(db, ev, { userId, action: 'needs.print' }, clock.now());
    const list = checkInList(lists.confirmed, checkInQuery(request.query.q));
    const data = { event: ev, lists, list, found: foundText(list) };
    reply.header('Referrer-Policy', 'no-referrer');
    if (request.isHtmxFragment) return reply.page('registrations/organiser/_checkin-results', data, { title: t('team:checkIn.heading', { title: ev.title }), personal: true, statusMessage: data.found });
    return reply.page('registrations/organiser/checkin', data, { title: t('team:checkIn.heading', { title: ev.title }), personal: true });
  });

  app.post<{ Params: { id: string; registrationId: string }; Body: FormBody }>(
    '/espace/evenements/:id/emargement/:registrationId',
    async (request, reply) => {
      const { ev } = manager.of(request);
      const registrationId = parseId(request.params.registrationId);
      const r = await toggleCheckIn(db, clock.now(), ev.id, registrationId);
      if (!r) throw notFound(t('team:errors.notConfirmed'));
      // The search the person was in, kept for the page they come back to.
      const query = checkInQuery((request.body ?? {}).q);
      if (request.isHtmxFragment) {
        return reply.page(
          'registrations/organiser/_presence',
          { event: ev, r, query, arrived: r.arrived },
          { title: t('team:checkIn.title'), personal: true, statusMessage: toggledText(r) },
        );
      }
      const search = query ? `?${new URLSearchParams({ q: query })}` : '';
      return reply.redirect(`/espace/evenements/${ev.id}/emargement${search}#r-${registrationId}`, 303);
    },
  );

  async function showNewForm(request: FastifyRequest, reply: FastifyReply, ev: RegistrationEvent, values: RegistrationFormValues, options: { errors?: FieldError[]; status?: number; duplicateContact?: string | null } = {}) {
    const data = await registrationFormView(db, config, ev, clock.now(), values, {
      action: `/espace/evenements/${ev.id}/inscriptions/nouvelle`,
      organiser: true,
      duplicateContact: options.duplicateContact,
    });
    noStoreIfNeeds(reply, values);
    return reply.page('registrations/organiser/new', data, { title: t('team:newRegistration.heading', { title: ev.title }), errors: options.errors, status: options.status });
  }

  app.get<{ Params: { id: string } }>('/espace/evenements/:id/inscriptions/nouvelle', async (request, reply) => {
    const { ev } = manager.of(request);
    return showNewForm(request, reply, ev, emptyFormValues());
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/espace/evenements/:id/inscriptions/nouvelle', async (request, reply) => {
    const { ev, userId } = manager.of(request);
    const body = request.body ?? {};
    const parsed = parseRegistration(body, 'error');
    if (!parsed.ok) return showNewForm(request, reply, ev, formValues(body), { errors: parsed.errors, status: formErrorStatus(request) });
    // The organiser's page shows no manage link: mails and texts to the person carry their own.
    const result = await recordRegistration(db, clock.now(), ev.id, parsed.value, { createdByUserId: userId });
    if (!result.ok) {
      const message =
        result.reason === 'duplicate_email'
          ? t('team:newRegistration.errors.duplicateEmail')
          : result.reason === 'duplicate_phone'
            ? t('team:newRegistration.errors.duplicatePhone')
          : result.reason === 'cancelled' || result.reason === 'not_published'
            ? t('team:newRegistration.errors.notOpen')
            : t('team:newRegistration.errors.failed');
      return showNewForm(request, reply, ev, formValues(body), { errors: [{ field: result.reason === 'duplicate_phone' ? 'telephone' : 'email', message }], status: 409 });
    }
    return reply.redirect(`/espace/evenements/${ev.id}/inscriptions?nouvelle=${result.registrationId}`, 303);
  });
};

export default organiserRoutes;
