// The mails about access needs that go to the team rather than to registrants: the organisers'
// digest of needs to prepare before the access-request deadline, and the coordinators' alert for
// needs still unanswered at the deadline (queued by mails-schedule.ts). Their words are in the team
// catalogue, written in the outbox row's language (the worker renders in it); the templates get `t`
// with their data. Labels and skip reasons are operators' words and stay in French.
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accessNeed, event, registration, territory } from '../db/schema.ts';
import { ACCESS_FEATURE_INFO, ACCESS_FEATURES, type AccessFeature } from '../domain/vocabulary.ts';
import { emailEvent } from '../events/index.ts';
import { formatDateTime, withZoneNote } from '../lib/time.ts';
import { mailKindGroup, payloadInt } from '../mail/index.ts';
import { registrationMailBatch } from './mails-batch.ts';
import { localPath, t, tHtml } from '../i18n/index.ts';

/** Needs of an event's active registrations, counted per category and status. */
async function needCounts(db: Database, eventId: number) {
  const rows = await db
    .select({ category: accessNeed.category, status: accessNeed.status, count: sql<number>`count(*)::int` })
    .from(accessNeed)
    .innerJoin(registration, eq(registration.id, accessNeed.registrationId))
    .where(and(eq(registration.eventId, eventId), ne(registration.state, 'cancelled')))
    .groupBy(accessNeed.category, accessNeed.status);
  const byCategory = new Map<AccessFeature, { label: string; requested: number; planned: number; notPossible: number }>();
  for (const r of rows) {
    const entry = byCategory.get(r.category) ?? { label: ACCESS_FEATURE_INFO[r.category]?.requestLabel ?? r.category, requested: 0, planned: 0, notPossible: 0 };
    const n = Number(r.count);
    if (r.status === 'requested') entry.requested += n;
    else if (r.status === 'planned') entry.planned += n;
    else entry.notPossible += n;
    byCategory.set(r.category, entry);
  }
  const categories = ACCESS_FEATURES.filter((c) => byCategory.has(c)).map((c) => ({ category: c, ...byCategory.get(c)! }));
  return { categories, requested: categories.reduce((sum, c) => sum + c.requested, 0) };
}

/** The event's registrations page, where needs are read and answered (organisation and coordination alike), in the mail's language. */
const needsPageUrl = (publicUrl: string, eventId: number) => `${publicUrl}${localPath(`/espace/evenements/${eventId}/inscriptions`)}`;

/** What the templates write their words with. */
const words = () => ({ t, tHtml });

async function eventDeadline(db: Database, eventId: number) {
  const [row] = await db.select({ deadline: event.accessRequestDeadline, territoryId: event.territoryId }).from(event).where(eq(event.id, eventId));
  return row ?? null;
}

/** The access-request deadline as the team mails write it, in the event's zone (noted overseas). */
const deadlineText = (deadline: Date | null, zone: string) => (deadline ? withZoneNote(formatDateTime(deadline, zone), zone) : null);
const organiserReason = (cal: { organiser: { name: string } }) => t('team:mail.organiserReason', { organisation: cal.organiser.name });

export const teamMailKinds = mailKindGroup('registrations/emails', registrationMailBatch, {
  organiser_needs_digest: {
    label: 'Synthèse des besoins (organisation)',
    async prepare(ctx) {
      const eventId = payloadInt(ctx.row.payload.eventId);
      if (eventId === null) return { skip: 'contenu incomplet (événement absent du message)' };
      const cal = await ctx.shared.event(eventId);
      if (!cal || cal.state !== 'published') return { skip: 'événement plus publié' };
      const counts = await needCounts(ctx.db, eventId);
      if (counts.requested === 0) return { skip: 'plus aucun besoin en attente' };
      const deadline = await eventDeadline(ctx.db, eventId);
      return {
        subject: t('team:mail.digest.subject', { title: cal.title }),
        data: {
          ...words(),
          event: emailEvent(cal, ctx.config),
          counts,
          deadline: deadlineText(deadline?.deadline ?? null, cal.timeZone),
          answerUrl: needsPageUrl(ctx.config.publicUrl, eventId),
        },
        reason: organiserReason(cal),
      };
    },
  },

  organiser_new_needs: {
    label: "Nouveaux besoins d'accessibilité (organisation)",
    async prepare(ctx) {
      const eventId = payloadInt(ctx.row.payload.eventId);
      const ids = Array.isArray(ctx.row.payload.needIds) ? ctx.row.payload.needIds.map(payloadInt).filter((id) => id !== null) : [];
      if (eventId === null || ids.length === 0) return { skip: 'contenu incomplet (événement ou besoins absents du message)' };
      const cal = await ctx.shared.event(eventId);
      if (!cal || cal.state !== 'published') return { skip: 'événement plus publié' };
      if (cal.startsAt <= ctx.now) return { skip: 'événement déjà commencé' };
      // Those still waiting: answered (or withdrawn) meanwhile, they ask nothing more.
      const open = await ctx.db
        .select({ category: accessNeed.category })
        .from(accessNeed)
        .where(and(inArray(accessNeed.id, ids), eq(accessNeed.status, 'requested')));
      if (open.length === 0) return { skip: 'besoins déjà traités ou retirés' };
      const deadline = await eventDeadline(ctx.db, eventId);
      const due = deadline?.deadline ?? null;
      return {
        subject: t('team:mail.newNeeds.subject', { title: cal.title }),
        data: {
          ...words(),
          event: emailEvent(cal, ctx.config),
          fresh: open.map((n) => ACCESS_FEATURE_INFO[n.category]?.requestLabel ?? n.category),
          counts: await needCounts(ctx.db, eventId),
          deadline: deadlineText(due, cal.timeZone),
          deadlinePassed: due !== null && due <= ctx.now,
          answerUrl: needsPageUrl(ctx.config.publicUrl, eventId),
        },
        reason: organiserReason(cal),
      };
    },
  },

  coordinator_unmet_needs_alert: {
    label: 'Alerte besoins sans réponse (coordination)',
    async prepare(ctx) {
      const eventId = payloadInt(ctx.row.payload.eventId);
      if (eventId === null) return { skip: 'contenu incomplet (événement absent du message)' };
      const cal = await ctx.shared.event(eventId);
      if (!cal || cal.state !== 'published') return { skip: 'événement plus publié' };
      const counts = await needCounts(ctx.db, eventId);
      const deadline = await eventDeadline(ctx.db, eventId);
      const deadlinePassed = !!deadline?.deadline && deadline.deadline <= ctx.now;
      const notPossible = counts.categories.reduce((sum, c) => sum + c.notPossible, 0);
      if ((deadlinePassed ? counts.requested : 0) + notPossible === 0) return { skip: 'plus aucun besoin sans réponse ni refusé' };
      const [terr] = deadline ? await ctx.db.select({ name: territory.name }).from(territory).where(eq(territory.id, deadline.territoryId)) : [];
      return {
        subject: deadlinePassed && counts.requested > 0 ? t('team:mail.unmetAlert.subjectUnanswered', { title: cal.title }) : t('team:mail.unmetAlert.subjectNotPossible', { title: cal.title }),
        data: {
          ...words(),
          event: emailEvent(cal, ctx.config),
          counts,
          notPossible,
          deadlinePassed,
          deadline: deadlineText(deadline?.deadline ?? null, cal.timeZone),
          needsUrl: needsPageUrl(ctx.config.publicUrl, eventId),
        },
        reason: terr ? t('team:mail.coordinatorReason', { territory: terr.name }) : t('team:mail.coordinatorReasonNoName'),
      };
    },
  },
});
