// Addresses of the calendar files, shared by the pages that link to them and the feed routes.
import type { Config } from '../config.ts';

/** One event's .ics (« Ajouter à mon agenda »). */
export function eventIcsPath(eventId: number): string {
  return `/evenements/${eventId}/agenda.ics`;
}

/** The programme feed with exactly the filters of the programme page (its query string). */
export function programmeFeedUrls(config: Config, queryString: string): { https: string; webcal: string } {
  const query = queryString.replace(/^\?/, '');
  const https = `${config.publicUrl}/programme/agenda.ics${query ? `?${query}` : ''}`;
  return { https, webcal: https.replace(/^https?:/, 'webcal:') };
}

export function organisationFeedPath(organisationId: number): string {
  return `/organisations/${organisationId}/agenda.ics`;
}

export function territoryFeedPath(territorySlug: string): string {
  return `/territoires/${encodeURIComponent(territorySlug)}/agenda.ics`;
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

export function personalFeedUrls(config: Pick<Config, 'publicUrl'>, token: string): { https: string; webcal: string } {
  const https = `${config.publicUrl}${personalFeedPath(token)}`;
  return { https, webcal: https.replace(/^https?:/, 'webcal:') };
}
