// Form parsing for venues (their own page, or the fieldset inline in the event form). The commune
// is chosen from the territory's list (domain/communes.ts) and stored in the list's spelling, so that
// the figures count each commune once; a territory without a list takes the name as typed.
import { listedCommune } from '../domain/communes.ts';
import { VENUE_FACTS, type VenueFact } from '../domain/vocabulary.ts';
import { t } from '../i18n/index.ts';
import type { FieldError } from '../plugins/views.ts';
import { list, str, textField, type Body } from './form-fields.ts';
import type { VenueFields, VenueRow } from './venues.ts';

export interface VenueFormValues {
  venueName: string;
  venueAddress: string;
  venuePostcode: string;
  venueCommune: string;
  venueFacts: string[];
  venueDirections: string;
  venueLatitude: string;
  venueLongitude: string;
}

export function venueFormValues(body: Body): VenueFormValues {
  return {
    venueName: str(body, 'venueName'),
    venueAddress: str(body, 'venueAddress'),
    venuePostcode: str(body, 'venuePostcode'),
    venueCommune: str(body, 'venueCommune'),
    venueFacts: list(body, 'venueFacts'),
    venueDirections: str(body, 'venueDirections'),
    venueLatitude: str(body, 'venueLatitude'),
    venueLongitude: str(body, 'venueLongitude'),
  };
}

export function venueToFormValues(v: VenueRow): VenueFormValues {
  return {
    venueName: v.name,
    venueAddress: v.address,
    venuePostcode: v.postcode,
    venueCommune: v.commune,
    venueFacts: VENUE_FACTS.filter((fact) => v[fact]),
    venueDirections: v.accessDirections ?? '',
    venueLatitude: v.latitude === null ? '' : String(v.latitude),
    venueLongitude: v.longitude === null ? '' : String(v.longitude),
  };
}

/** The commune field: a list to choose from (the value in the list's spelling), or free text when the
 *  territory keeps no list. `stored`: the venue's saved value, which, missing from the list (typed
 *  before the list was kept), is named so that it is chosen again. */
export function communeField(communes: readonly string[], value: string, stored = false) {
  if (communes.length === 0)
    return { options: null, value, hint: t('events:venueFields.communeNoList') };
  const listed = listedCommune(communes, value);
  return {
    options: [{ value: '', label: t('events:venueFields.communeChoose') }, ...communes.map((c) => ({ value: c, label: c }))],
    value: listed ?? '',
    hint:
      stored && value !== '' && listed === undefined
        ? t('events:venueFields.communeNotListed', { commune: value })
        : t('events:venueFields.communeListHint'),
  };
}

/** The commune as the territory's list spells it (any case or accents typed), or an error. */
function communeOf(errors: FieldError[], body: Body, communes: readonly string[]): string {
  if (communes.length === 0) return textField(errors, body, 'venueCommune', { required: t('events:venueFields.errors.communeRequired'), max: 100, label: t('events:venueFields.errors.communeName') });
  const typed = str(body, 'venueCommune');
  if (typed === '') {
    errors.push({ field: 'venueCommune', message: t('events:venueFields.errors.communeChoose') });
    return '';
  }
  const listed = listedCommune(communes, typed);
  if (listed === undefined)
    errors.push({
      field: 'venueCommune',
      message: t('events:venueFields.errors.communeUnknown', { commune: typed.slice(0, 100) }),
    });
  return listed ?? '';
}

const COORDINATE = /^[+-]?\d{1,3}(?:[.,]\d{1,12})?$/;

/** One coordinate in decimal degrees (a French decimal comma accepted), or null when empty or wrong (with an error). */
function coordinate(errors: FieldError[], body: Body, field: 'venueLatitude' | 'venueLongitude'): number | null {
  const raw = str(body, field).replace(/\s+/g, '');
  if (raw === '') return null;
  const latitude = field === 'venueLatitude';
  const limit = latitude ? 90 : 180;
  const value = COORDINATE.test(raw) ? Number(raw.replace(',', '.')) : NaN;
  if (Number.isNaN(value))
    errors.push({ field, message: latitude ? t('events:venueFields.errors.latitudeNumber') : t('events:venueFields.errors.longitudeNumber') });
  else if (Math.abs(value) > limit)
    errors.push({ field, message: latitude ? t('events:venueFields.errors.latitudeRange') : t('events:venueFields.errors.longitudeRange') });
  else return value;
  return null;
}

/** Latitude and longitude, both or neither: a point needs its two coordinates. */
function coordinates(errors: FieldError[], body: Body): { latitude: number | null; longitude: number | null } {
  const before = errors.length;
  const latitude = coordinate(errors, body, 'venueLatitude');
  const longitude = coordinate(errors, body, 'venueLongitude');
  if (errors.length > before) return { latitude: null, longitude: null };
  if (latitude === null && longitude !== null) errors.push({ field: 'venueLatitude', message: t('events:venueFields.errors.latitudeMissing') });
  else if (latitude !== null && longitude === null) errors.push({ field: 'venueLongitude', message: t('events:venueFields.errors.longitudeMissing') });
  else return { latitude, longitude };
  return { latitude: null, longitude: null };
}

/** The venue fieldset (its own page, or inline in the event form), in a territory with these communes. */
export function parseVenueFields(body: Body, errors: FieldError[], communes: readonly string[]): VenueFields {
  const name = textField(errors, body, 'venueName', { required: t('events:venueFields.errors.nameRequired'), max: 150, label: t('events:venueFields.errors.nameName') });
  const address = textField(errors, body, 'venueAddress', { required: t('events:venueFields.errors.addressRequired'), max: 200, label: t('events:venueFields.errors.addressName') });
  const postcode = str(body, 'venuePostcode').replace(/\s+/g, '');
  if (!postcode) errors.push({ field: 'venuePostcode', message: t('events:venueFields.errors.postcodeRequired') });
  else if (!/^\d{5}$/.test(postcode)) errors.push({ field: 'venuePostcode', message: t('events:venueFields.errors.postcodeInvalid') });
  const commune = communeOf(errors, body, communes);
  const facts = list(body, 'venueFacts').filter((f): f is VenueFact => (VENUE_FACTS as readonly string[]).includes(f));
  const directions = textField(errors, body, 'venueDirections', { max: 2000, label: t('events:venueFields.errors.directionsName') });
  return { name, address, postcode, commune, facts, accessDirections: directions || null, ...coordinates(errors, body) };
}

export function parseVenueForm(body: Body, communes: readonly string[]): { values: VenueFormValues; errors: FieldError[]; fields: VenueFields } {
  const errors: FieldError[] = [];
  const fields = parseVenueFields(body, errors, communes);
  return { values: venueFormValues(body), errors, fields };
}
