// schema.org Event for an event page, so that search engines and agenda aggregators read the
// date, place, organiser, status and accessibility without scraping the HTML.
import { isoInZone } from '../lib/time.ts';
import { ACCESS_FEATURE_INFO } from '../domain/vocabulary.ts';
import { httpUrl } from './present.ts';
import type { PublicEvent } from './public-event.ts';
import { placesLeft } from './rules.ts';
import { eventText } from '../domain/event-text.ts';
import { localPath } from '../i18n/index.ts';


export function eventJsonLd(e: PublicEvent, publicUrl: string): Record<string, unknown> {
  const zone = e.territory.timeZone;
  const url = `${publicUrl}${localPath(`/evenements/${e.id}`)}`;
  const text = eventText(e);
  const place = e.venue
    ? {
        '@type': 'Place',
        name: e.venue.name,
        address: {
          '@type': 'PostalAddress',
          streetAddress: e.venue.address,
          postalCode: e.venue.postcode,
          addressLocality: e.venue.commune,
          addressCountry: 'FR',
        },
        ...(e.venue.latitude !== null && e.venue.longitude !== null
          ? { geo: { '@type': 'GeoCoordinates', latitude: e.venue.latitude, longitude: e.venue.longitude } }
          : {}),
      }
    : null;
  const onlineUrl = httpUrl(e.onlineUrl);
  const online = onlineUrl ? { '@type': 'VirtualLocation', url: onlineUrl } : null;
  const locations = [place, online].filter((l) => l !== null);
  const mode = place && online ? 'MixedEventAttendanceMode' : online ? 'OnlineEventAttendanceMode' : 'OfflineEventAttendanceMode';
  const features = [...new Set(e.accessibilityOffered.map((f) => ACCESS_FEATURE_INFO[f].schemaOrg).filter((v): v is string => v !== null))];
  const left = placesLeft(e);

  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: text.title,
    description: text.summary,
    url,
    inLanguage: text.titleLanguage,
    startDate: isoInZone(e.startsAt, zone),
    endDate: isoInZone(e.endsAt, zone),
    eventStatus: e.state === 'cancelled' ? 'https://schema.org/EventCancelled' : 'https://schema.org/EventScheduled',
    eventAttendanceMode: `https://schema.org/${mode}`,
    ...(locations.length > 0 ? { location: locations.length === 1 ? locations[0] : locations } : {}),
    organizer: {
      '@type': 'Organization',
      name: e.organisation.name,
      ...(httpUrl(e.organisation.website) ? { url: httpUrl(e.organisation.website) } : {}),
      ...(e.organisation.contactEmail ? { email: e.organisation.contactEmail } : {}),
    },
    isAccessibleForFree: true,
    ...(features.length > 0 ? { accessibilityFeature: features } : {}),
    ...(e.capacity !== null ? { maximumAttendeeCapacity: e.capacity, remainingAttendeeCapacity: left } : {}),
    ...(e.capacity !== null && e.state === 'published'
      ? {
          offers: {
            '@type': 'Offer',
            price: 0,
            priceCurrency: 'EUR',
            url: `${url}/inscription`,
            availability: left === 0 ? 'https://schema.org/SoldOut' : 'https://schema.org/InStock',
            ...(e.registrationOpensAt ? { validFrom: isoInZone(e.registrationOpensAt, zone) } : {}),
          },
        }
      : {}),
  };
}

/**
 * JSON for inside <script type="application/ld+json">: `<` is escaped so no value (a title
 * containing « </script> ») can close the element; U+2028/2029 for old parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
