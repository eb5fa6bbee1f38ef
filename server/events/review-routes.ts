// The coordination's review of one event: the page, and its decisions (publish, ask for changes,
// refuse, cancel). For the coordinators of the event's territory (and administrators), checked
// once in the hook.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import { currentUser, signedInWith } from '../accounts/index.ts';
import { t } from '../i18n/index.ts';
import { setFlash, takeFlash } from '../plugins/flash.ts';
import { idParam } from '../plugins/params.ts';
import type { FieldError } from '../plugins/views.ts';
import { eventForCoordinator } from './access.ts';
import { asFieldError } from './http-errors.ts';
import { cancel, publish, refuse, requestChanges } from './moderation.ts';
import { changeLines, historyForView } from './present.ts';
import type { EventContext } from './queries.ts';
import { reviewOf } from './review.ts';
import { EventRuleError } from './rule-error.ts';
import { checkbox, messageField } from './form-fields.ts';
import { eventView } from './view-models.ts';

type Body = Record<string, unknown>;

const backToQueue = (ctx: EventContext) => `/coordination/${ctx.event.territoryId}/propositions`;

/** The version the review form was rendered with; an unreadable one counts as outdated. */
function seenVersion(body: Body) {
  const raw = messageField(body, 'version');
  return raw ? new Date(raw) : undefined;
}

const reviewRoutes: FastifyPluginAsync<FeatureOptions> = async (app, { db, clock }) => {
  const coordinator = signedInWith((request, user) => eventForCoordinator(db, user, idParam(request, 'id')));
  app.addHook('preHandler', coordinator.hook);

  async function reviewPage(request: FastifyRequest, reply: FastifyReply, ctx: EventContext, form: { errors?: FieldError[]; values?: Record<string, string>; status?: number } = {}) {
    const zone = ctx.territory.timeZone;
    const { history, changes, editedSincePublication, can } = await reviewOf(db, ctx);
    const flash = takeFlash(request);
    return reply.page(
      'events/review',
      {
        ...eventView(ctx),
        changes: changes ? changeLines(changes, zone) : null,
        editedSincePublication,
        history: historyForView(history, zone),
        can,
        values: { publishMessage: '', changesMessage: '', refuseMessage: '', cancelReason: '', ...form.values },
        version: ctx.event.updatedAt.toISOString(),
        flash,
      },
      { title: t('events:review.title', { title: ctx.event.title }), errors: form.errors, status: form.status, personal: true, statusMessage: flash },
    );
  }

  app.get('/coordination/evenements/:id', async (request, reply) => reviewPage(request, reply, coordinator.of(request)));

  /** One moderation action: a POST with a message, re-rendering the review page on a refusal. */
  function moderation(
    path: string,
    field: string,
    act: (ctx: EventContext, body: Body, actorUserId: number, now: Date) => Promise<unknown>,
    done: (ctx: EventContext) => { flash: string; redirect?: string },
  ) {
    app.post(`/coordination/evenements/:id/${path}`, async (request, reply) => {
      const ctx = coordinator.of(request);
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

  moderation(
    'publier',
    'publishMessage',
    (ctx, body, actorUserId, now) =>
      publish(db, ctx.event.id, { actorUserId, now, seenVersion: seenVersion(body), outsideEditionApproved: checkbox(body, 'outsideEditionApproved'), message: messageField(body, 'publishMessage') }),
    (ctx) => ({ flash: t('events:flash.published', { title: ctx.event.title }), redirect: backToQueue(ctx) }),
  );
  moderation(
    'demander-des-modifications',
    'changesMessage',
    (ctx, body, actorUserId, now) => requestChanges(db, ctx.event.id, { actorUserId, now, seenVersion: seenVersion(body), message: messageField(body, 'changesMessage') }),
    (ctx) => ({ flash: t('events:flash.changesRequested', { title: ctx.event.title }), redirect: backToQueue(ctx) }),
  );
  moderation(
    'refuser',
    'refuseMessage',
    (ctx, body, actorUserId, now) => refuse(db, ctx.event.id, { actorUserId, now, seenVersion: seenVersion(body), message: messageField(body, 'refuseMessage') }),
    (ctx) => ({ flash: t('events:flash.refused', { title: ctx.event.title }), redirect: backToQueue(ctx) }),
  );
  moderation(
    'annuler',
    'cancelReason',
    (ctx, body, actorUserId, now) => cancel(db, ctx.event.id, { actorUserId, now, reason: messageField(body, 'cancelReason') }),
    (ctx) => ({ flash: t('events:flash.coordinationCancelled', { title: ctx.event.title }) }),
  );
};

export default reviewRoutes;
