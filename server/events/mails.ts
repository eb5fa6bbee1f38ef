// The mails about an event as such: the coordination's decision on a proposal, to its
// organisation. Also the event as every mail template shows it (views/events/emails/partials/event).
import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { pgArray, type Database } from '../db/client.ts';
import { event } from '../db/schema.ts';
import type { PublicVenue } from '../domain/venue.ts';
import { VENUE_FACT_LABELS, isPublicState } from '../domain/vocabulary.ts';
import { type CalendarEvent, loadCalendarEvents } from '../calendar/index.ts';
import { formatRange, withZoneNote } from '../lib/time.ts';
import { memoById, type BatchShare, mailKindGroup, payloadInt, payloadText } from '../mail/index.ts';

export interface EmailEvent {
  id: number;
  title: string;
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
}

export function emailEvent(data: CalendarEvent, config: Pick<Config, 'publicUrl'>): EmailEvent {
  // A proposal not yet published has no public page (a 404): its organisers and coordinators open it in their space.
  const isPublic = isPublicState(data.state);
  return {
    id: data.id,
    title: data.title,
    // With « (heure de La Réunion) » overseas, as the pages print it.
    when: withZoneNote(formatRange(data.startsAt, data.endsAt, data.timeZone), data.timeZone),
    url: isPublic ? data.url : `${config.publicUrl}/espace/evenements/${data.id}`,
    urlLabel: isPublic ? "Page de l'événement" : "L'événement dans votre espace (pas encore publié)",
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
  };
}

function calendarEventsById(db: Database, config: Pick<Config, 'publicUrl'>) {
  return memoById(async (ids) => new Map((await loadCalendarEvents(db, { publicUrl: config.publicUrl, where: sql`${event.id} = any(${pgArray(ids)}::int[])` })).map((e) => [e.id, e])));
}

/** The batch's events as calendars and mails describe them, each read once, many in one statement
 *  (every feature's mails about events share it). */
export const eventsOfBatch: BatchShare<ReturnType<typeof calendarEventsById>> = (db, config) => calendarEventsById(db, config);

export const eventMailKinds = mailKindGroup('events/emails', eventsOfBatch, {
  moderation_decision: {
    label: 'Décision de la coordination',
    async prepare(ctx) {
      const eventId = payloadInt(ctx.row.payload.eventId);
      if (eventId === null) return { skip: 'contenu incomplet (événement absent du message)' };
      const cal = await ctx.shared.get(eventId);
      if (!cal) return { skip: 'événement effacé' };
      const decision = payloadText(ctx.row.payload.decision) ?? 'unknown';
      const subjects: Record<string, string> = {
        published: `Votre événement est publié : ${cal.title}`,
        changes_requested: `Modifications demandées : ${cal.title}`,
        refused: `Proposition non retenue : ${cal.title}`,
        cancelled: `Événement annulé : ${cal.title}`,
      };
      return {
        subject: subjects[decision] ?? `Votre proposition : ${cal.title}`,
        data: { event: emailEvent(cal, ctx.config), decision, message: payloadText(ctx.row.payload.message), editUrl: `${ctx.config.publicUrl}/espace/evenements/${eventId}` },
        reason: `Vous recevez ce message en tant que membre ou contact de ${cal.organiser.name} sur Rassembler.`,
      };
    },
  },
});
