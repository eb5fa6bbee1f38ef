// A venue's coordinates from the French national address base (BAN), or from any server speaking
// its protocol: GET <url>?q=…&postcode=…&limit=1 answers a GeoJSON FeatureCollection whose first
// feature is the best match. Optional by nature: a slow, failing or absent service never stops a
// venue from being saved, it only leaves the coordinates for the organiser to type.
import type { Config } from '../config.ts';
import { t } from '../i18n/index.ts';
import type { VenueChoice } from './editing.ts';
import type { VenueFields } from './venues.ts';

export interface FoundPoint {
  latitude: number;
  longitude: number;
  /** 'address': the street or number was found; 'commune': only the commune (its centre). */
  precision: 'address' | 'commune';
}

export type LookupResult = { found: FoundPoint } | { missing: 'not_found' | 'unavailable' };

/** Below this BAN score the match is a guess (another street of the commune): use the commune's centre. */
const MIN_ADDRESS_SCORE = 0.5;

interface Feature {
  geometry?: { coordinates?: unknown };
  properties?: { type?: unknown; score?: unknown };
}

/** The first feature's point, if the answer is what the protocol promises. */
function firstPoint(body: unknown): { latitude: number; longitude: number; type: string; score: number } | null {
  const feature = (body as { features?: Feature[] } | null)?.features?.[0];
  const coordinates = feature?.geometry?.coordinates;
  if (!Array.isArray(coordinates)) return null;
  const [longitude, latitude] = coordinates as unknown[];
  if (typeof latitude !== 'number' || typeof longitude !== 'number' || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  const type = typeof feature?.properties?.type === 'string' ? feature.properties.type : '';
  const score = typeof feature?.properties?.score === 'number' ? feature.properties.score : 0;
  return { latitude, longitude, type, score };
}

/**
 * Looks the address up, then, when it is not found with confidence, the commune's centre (type
 * municipality). Both requests share one deadline.
 */
async function lookUpAddress(
  config: Pick<Config, 'addressLookupUrl' | 'addressLookupTimeoutMs'>,
  place: { address: string; postcode: string; commune: string },
): Promise<LookupResult | null> {
  if (!config.addressLookupUrl) return null;
  const signal = AbortSignal.timeout(config.addressLookupTimeoutMs);
  const search = async (params: Record<string, string>) => {
    const url = new URL(config.addressLookupUrl!);
    for (const [name, value] of Object.entries({ ...params, postcode: place.postcode, limit: '1' })) url.searchParams.set(name, value);
    const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`address lookup answered ${response.status}`);
    return firstPoint(await response.json());
  };
  try {
    const address = await search({ q: `${place.address} ${place.commune}` });
    if (address && address.score >= MIN_ADDRESS_SCORE) {
      return { found: { latitude: address.latitude, longitude: address.longitude, precision: address.type === 'municipality' ? 'commune' : 'address' } };
    }
    const commune = await search({ q: place.commune, type: 'municipality' });
    return commune ? { found: { latitude: commune.latitude, longitude: commune.longitude, precision: 'commune' } } : { missing: 'not_found' };
  } catch {
    // Unreachable, too slow, not JSON: the same for the organiser.
    return { missing: 'unavailable' };
  }
}

/** What the organiser is told about the lookup after saving (null: nothing to say). */
function lookupNotice(result: LookupResult | null): string | null {
  if (!result) return null;
  if ('found' in result) {
    return result.found.precision === 'address' ? t('events:lookup.found') : t('events:lookup.communeOnly');
  }
  return result.missing === 'not_found' ? t('events:lookup.notFound') : t('events:lookup.unavailable');
}

/**
 * The venue as it will be saved: with the coordinates the organiser typed, or else those found
 * by the lookup (when configured), and what to tell the organiser about it.
 */
export async function placeVenue(
  config: Pick<Config, 'addressLookupUrl' | 'addressLookupTimeoutMs'>,
  fields: VenueFields,
): Promise<{ fields: VenueFields; notice: string | null }> {
  if (fields.latitude !== null) return { fields, notice: null };
  const result = await lookUpAddress(config, fields);
  return { fields: result && 'found' in result ? { ...fields, latitude: result.found.latitude, longitude: result.found.longitude } : fields, notice: lookupNotice(result) };
}

/** The place chosen in the event form: a new venue described there is placed the same way (the notice is for the venue page). */
export async function placeVenueChoice(config: Pick<Config, 'addressLookupUrl' | 'addressLookupTimeoutMs'>, choice: VenueChoice): Promise<VenueChoice> {
  return choice.kind === 'new' ? { kind: 'new', fields: (await placeVenue(config, choice.fields)).fields } : choice;
}
