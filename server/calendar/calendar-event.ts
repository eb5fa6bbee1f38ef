// What a VEVENT says about an event, as plain values independent of the tables it was read
// from, with its UIDs and ORGANIZER: the same for feeds (server/calendar/) and mail invites
// (server/mail/).
import type { ICalOrganizer } from 'ical-generator';
import type { Config } from '../config.ts';
import type { event } from '../db/schema.ts';
import type { EventTranslations } from '../domain/event-text.ts';
import type { PublicVenue } from '../domain/venue.ts';
import { localPath } from '../i18n/index.ts';

type EventRow = typeof event.$inferSelect;

/** Everything a VEVENT says about an event: plain values, whatever table they were read from. */
export interface CalendarEvent
  extends Pick<EventRow, 'id' | 'title' | 'summary' | 'description' | 'startsAt' | 'endsAt' | 'onlineUrl' | 'accessibilityOffered' | 'state' | 'sequence' | 'updatedAt'>,
    Partial<Pick<EventRow, 'contentNote' | 'cancellationReason'>> {
  /** IANA zone of the event's territory (Europe/Paris, Indian/Reunion…). */
  timeZone: string;
  venue: PublicVenue | null;
  /** Labels (category, audience), in the language they were read in. */
  categories: string[];
  organiser: { name: string; email: string | null };
  /** The public page of the event (absolute URL, French: see eventPageUrl for the current language's). */
  url: string;
  /** The public page's site path (« /evenements/12 »). */
  path: string;
  /** The organiser's own title and summary in other languages (eventText picks them). */
  translations?: EventTranslations | null;
  /** Its UID (eventUid): stable for its whole life, whatever changes. */
  uid: string;
}

/** The event's public page in the current language (« …/en/evenements/12 »). */
export function eventPageUrl(data: Pick<CalendarEvent, 'url' | 'path'>): string {
  return data.url.endsWith(data.path) ? `${data.url.slice(0, data.url.length - data.path.length)}${localPath(data.path)}` : data.url;
}

/** The address part of « Nom <adresse> ». */
function addressOf(mailbox: string): string {
  return /<([^>]+)>/.exec(mailbox)?.[1]?.trim() ?? mailbox.trim();
}

/** What writing calendar text needs from the configuration: links, and the fallback ORGANIZER. */
export type CalendarConfig = Pick<Config, 'publicUrl' | 'mailFrom'>;

/** The ORGANIZER of an event: its organisation, at its contact address or else the platform's (MAIL_FROM). */
export function organizerOf(data: CalendarEvent, mailFrom: string): ICalOrganizer {
  return { name: data.organiser.name, email: data.organiser.email ?? addressOf(mailFrom) };
}

/** The host UIDs end with, per public URL (parsing a URL for each of 2,000 entries showed in profiles). */
function uidHost(publicUrl: string): string {
  let host = hosts.get(publicUrl);
  if (host === undefined) hosts.set(publicUrl, (host = new URL(publicUrl).hostname));
  return host;
}
const hosts = new Map<string, string>();

/** The UID of an event: stable for its whole life, whatever changes. */
export function eventUid(eventId: number, publicUrl: string): string {
  return `event-${eventId}@${uidHost(publicUrl)}`;
}

/**
 * The UID of one person's entry for an event: mail invites, the personal feed and the manage
 * page's download all use it, so a cancellation invite removes the very entry they created.
 */
export function registrationUid(registrationId: number, publicUrl: string): string {
  return `registration-${registrationId}@${uidHost(publicUrl)}`;
}
