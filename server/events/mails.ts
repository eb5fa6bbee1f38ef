// The mails about an event as such: the coordination's decision on a proposal, to its
// organisation. Also the event as every mail template shows it (views/events/emails/partials/event).
import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { pgArray, type Database } from '../db/client.ts';
import { event } from '../db/schema.ts';
import type { PublicVenue } from '../domain/venue.ts';
import { eventText } from '../domain/event-text.ts';
import { currentLanguage, localPath, t, tHtml } from '../i18n/index.ts';
import { VENUE_FACT_LABELS, isPublicState } from '../domain/vocabulary.ts';
import { type CalendarEvent, loadCalendarEvents } from '../calendar/index.ts';
import { formatRange, withZoneNote } from '../lib/time.ts';
import { memoById, type BatchShare, mailKindGroup, payloadInt, payloadText } from '../mail/index.ts';

export interface EmailEvent {
  id: number;
  /** The organiser's title in the mail's language when they wrote one (eventText), else their French. */
  title: string;
  /** The language `title` is written in, and the mail's: the HTML marks the title when they differ. */
  titleLanguage: string;
  language: string;
  when: string;
  /** The page the recipient can open: the public one, or the organisers' one while unpublished. */
  url: string;
  urlLabel: string;
  venue:
    | (Pick<PublicVenue, 'name' | 'address' | 'postcode' | 'commune' | 'accessDirections'> & {
        /** Labels of the venue's access facts (« Entrée de plain-pied »…). */
        facts: string[];
        stepFreeEntrance: boolean;
      })
    | null;
  onlineUrl: string | null;
  organiserName: string;
  organiserEmail: string | null;
  cancellationReason: string | null;
  /** The partial's words in the mail's language (« Quand : »…): every feature's mail templates include it. */
  labels: { when: string; where: string; online: string; venue: string; entrance: string; organisedBy: string; link: string };
}

export function emailEvent(data: CalendarEvent, config: Pick<Config, 'publicUrl'>): EmailEvent {
  // A proposal not yet published has no public page (a 404): its organisers and coordinators open it in their space.
  const isPublic = isPublicState(data.state);
  const text = eventText(data);
  const url = `${config.publicUrl}${localPath(isPublic ? data.path : `/espace/evenements/${data.id}`)}`;
  const urlLabel = isPublic ? t('events:mail.publicPage') : t('events:mail.organiserPage');
  return {
    id: data.id,
    title: text.title,
    titleLanguage: text.titleLanguage,
    language: currentLanguage().code,
    // With « (heure de La Réunion) » overseas, as the pages print it.
    when: withZoneNote(formatRange(data.startsAt, data.endsAt, data.timeZone), data.timeZone),
    url,
    urlLabel,
    venue: data.venue
      ? {
          name: data.venue.name,
          address: data.venue.address,
          postcode: data.venue.postcode,
          commune: data.venue.commune,
          accessDirections: data.venue.accessDirections,
          facts: data.venue.facts.map((fact) => VENUE_FACT_LABELS[fact]),
          stepFreeEntrance: data.venue.facts.includes('stepFreeEntrance'),
        }
      : null,
    onlineUrl: data.onlineUrl,
    organiserName: data.organiser.name,
    organiserEmail: data.organiser.email,
    cancellationReason: data.cancellationReason ?? null,
    labels: {
      when: t('events:mail.when'),
      where: t('events:mail.where'),
      online: t('events:mail.online'),
      venue: t('events:mail.venue'),
      entrance: t('events:mail.entrance'),
      organisedBy: t('events:mail.organisedBy'),
      link: t('events:mail.linkLine', { label: urlLabel, url }),
    },
  };
}

function calendarEventsById(db: Database, config: Pick<Config, 'publicUrl'>) {
  return memoById(async (ids) => new Map((await loadCalendarEvents(db, { publicUrl: config.publicUrl, where: sql`${event.id} = any(${pgArray(ids)}::int[])` })).map((e) => [e.id, e])));
}

/** The batch's events as calendars and mails describe them, each read once, many in one statement
 *  (every feature's mails about events share it). */
export const eventsOfBatch: BatchShare<ReturnType<typeof calendarEventsById>> = (db, config) => calendarEventsById(db, config);

function decisionSubject(decision: string, title: string): string {
  switch (decision) {
    case 'published':
      return t('events:mail.decision.subjectPublished', { title });
    case 'changes_requested':
      return t('events:mail.decision.subjectChangesRequested', { title });
    case 'refused':
      return t('events:mail.decision.subjectRefused', { title });
    case 'cancelled':
      return t('events:mail.decision.subjectCancelled', { title });
    default:
      return t('events:mail.decision.subjectOther', { title });
  }
}

export const eventMailKinds = mailKindGroup('events/emails', eventsOfBatch, {
  moderation_decision: {
    label: 'Décision de la coordination',
    async prepare(ctx) {
      const eventId = payloadInt(ctx.row.payload.eventId);
      if (eventId === null) return { skip: 'contenu incomplet (événement absent du message)' };
      const cal = await ctx.shared.get(eventId);
      if (!cal) return { skip: 'événement effacé' };
      const decision = payloadText(ctx.row.payload.decision) ?? 'unknown';
      const shown = emailEvent(cal, ctx.config);
      return {
        subject: decisionSubject(decision, shown.title),
        // `t` and `tHtml` for the templates' words, in the language the mail is rendered in.
        data: { event: shown, decision, message: payloadText(ctx.row.payload.message), editUrl: `${ctx.config.publicUrl}${localPath(`/espace/evenements/${eventId}`)}`, t, tHtml },
        reason: t('events:mail.decision.reason', { organisation: cal.organiser.name }),
      };
    },
  },
});
