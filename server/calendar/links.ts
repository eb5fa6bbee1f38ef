// Addresses of the calendar files, shared by the pages that link to them and the feed routes.
import type { Config } from '../config.ts';
import { localPath } from '../i18n/index.ts';
import { slugify } from '../lib/slug.ts';

/** One event's .ics (« Ajouter à mon agenda »). */
export function eventIcsPath(eventId: number): string {
  return `/evenements/${eventId}/agenda.ics`;
}

/** The file name of an event's .ics download: « sism-12-cine-debat-l-ete.ics ». */
export function eventIcsFileName(eventId: number, title: string): string {
  return `sism-${eventId}-${slugify(title) || 'evenement'}.ics`;
}

/** A feed to subscribe to: its address to copy, and the webcal: one calendar apps open. */
export interface FeedUrls {
  https: string;
  webcal: string;
}

/**
 * A public feed's addresses in the current language (« …/en/programme/agenda.ics »): a calendar
 * subscribed from an English page is written in English. A personal feed needs no prefix (it is
 * written in its registration's language): `localised: false`.
 */
function feedUrls(config: Pick<Config, 'publicUrl'>, path: string, localised = true): FeedUrls {
  const https = `${config.publicUrl}${localised ? localPath(path) : path}`;
  return { https, webcal: https.replace(/^https?:/, 'webcal:') };
}

/** The programme feed with exactly the filters of the programme page (its query string). */
export function programmeFeedUrls(config: Pick<Config, 'publicUrl'>, queryString: string): FeedUrls {
  const query = queryString.replace(/^\?/, '');
  return feedUrls(config, `/programme/agenda.ics${query ? `?${query}` : ''}`);
}

export function organisationFeedPath(organisationId: number): string {
  return `/organisations/${organisationId}/agenda.ics`;
}

export function organisationFeedUrls(config: Pick<Config, 'publicUrl'>, organisationId: number): FeedUrls {
  return feedUrls(config, organisationFeedPath(organisationId));
}

export function territoryFeedPath(territorySlug: string): string {
  return `/territoires/${encodeURIComponent(territorySlug)}/agenda.ics`;
}

export function territoryFeedUrls(config: Pick<Config, 'publicUrl'>, territorySlug: string): FeedUrls {
  return feedUrls(config, territoryFeedPath(territorySlug));
}

/**
 * Private feed of a person's registrations. The token is a random one of kind 'feed'
 * (server/registrations/links.ts), minted only into mails sent to the registration's address:
 * the URL reveals nothing (no email, no id), and it is deliberately not the manage token, since
 * calendar services store and poll feed URLs while the manage link can cancel and shows access
 * needs. See docs/decisions/0005.
 */
export function personalFeedPath(token: string): string {
  return `/agenda/personnel/${token}.ics`;
}

export function personalFeedUrls(config: Pick<Config, 'publicUrl'>, token: string): FeedUrls {
  return feedUrls(config, personalFeedPath(token), false);
}
