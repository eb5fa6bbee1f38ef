// Form parsing for venues (their own page, or the fieldset inline in the event form). The commune
// is chosen from the territory's list (domain/communes.ts) and stored in the list's spelling, so that
// the figures count each commune once; a territory without a list takes the name as typed.
import { listedCommune } from '../domain/communes.ts';
import { VENUE_FACTS, type VenueFact } from '../domain/vocabulary.ts';
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
    return { options: null, value, hint: 'Le territoire n’a pas encore de liste de communes : écrivez le nom de la commune.' };
  const listed = listedCommune(communes, value);
  return {
    options: [{ value: '', label: 'Choisissez une commune' }, ...communes.map((c) => ({ value: c, label: c }))],
    value: listed ?? '',
    hint:
      stored && value !== '' && listed === undefined
        ? `La commune enregistrée, « ${value} », n’est pas dans la liste des communes du territoire : choisissez-la dans la liste.`
        : 'Les communes du territoire. La vôtre n’y est pas ? Écrivez à la coordination du territoire.',
  };
}

/** The commune as the territory's list spells it (any case or accents typed), or a French error. */
function communeOf(errors: FieldError[], body: Body, communes: readonly string[]): string {
  if (communes.length === 0) return textField(errors, body, 'venueCommune', { required: 'Indiquez la commune du lieu.', max: 100, label: 'Le nom de la commune' });
  const typed = str(body, 'venueCommune');
  if (typed === '') {
    errors.push({ field: 'venueCommune', message: 'Choisissez la commune du lieu dans la liste.' });
    return '';
  }
  const listed = listedCommune(communes, typed);
  if (listed === undefined)
    errors.push({
      field: 'venueCommune',
      message: `« ${typed.slice(0, 100)} » ne fait pas partie des communes du territoire. Choisissez la commune du lieu dans la liste ; si elle n’y est pas, écrivez à la coordination du territoire.`,
    });
  return listed ?? '';
}

const COORDINATE = /^[+-]?\d{1,3}(?:[.,]\d{1,12})?$/;

/** One coordinate in decimal degrees (a French decimal comma accepted), or null when empty or wrong (with an error). */
function coordinate(errors: FieldError[], body: Body, field: 'venueLatitude' | 'venueLongitude'): number | null {
  const raw = str(body, field).replace(/\s+/g, '');
  if (raw === '') return null;
  const [name, limit, example] = field === 'venueLatitude' ? ['La latitude', 90, '45,1885'] : ['La longitude', 180, '5,7245'];
  const value = COORDINATE.test(raw) ? Number(raw.replace(',', '.')) : NaN;
  if (Number.isNaN(value)) errors.push({ field, message: `${name} doit être un nombre en degrés décimaux, par exemple ${example}.` });
  else if (Math.abs(value) > limit) errors.push({ field, message: `${name} doit être comprise entre -${limit} et ${limit} degrés.` });
  else return value;
  return null;
}

/** Latitude and longitude, both or neither: a point needs its two coordinates. */
function coordinates(errors: FieldError[], body: Body): { latitude: number | null; longitude: number | null } {
  const before = errors.length;
  const latitude = coordinate(errors, body, 'venueLatitude');
  const longitude = coordinate(errors, body, 'venueLongitude');
  if (errors.length > before) return { latitude: null, longitude: null };
  if (latitude === null && longitude !== null) errors.push({ field: 'venueLatitude', message: 'Indiquez aussi la latitude, ou effacez la longitude.' });
  else if (latitude !== null && longitude === null) errors.push({ field: 'venueLongitude', message: 'Indiquez aussi la longitude, ou effacez la latitude.' });
  else return { latitude, longitude };
  return { latitude: null, longitude: null };
}

/** The venue fieldset (its own page, or inline in the event form), in a territory with these communes. */
export function parseVenueFields(body: Body, errors: FieldError[], communes: readonly string[]): VenueFields {
  const name = textField(errors, body, 'venueName', { required: 'Indiquez le nom du lieu, par exemple « Médiathèque Jean-Jaurès ».', max: 150, label: 'Le nom du lieu' });
  const address = textField(errors, body, 'venueAddress', { required: "Indiquez l'adresse du lieu (numéro et rue).", max: 200, label: "L'adresse" });
  const postcode = str(body, 'venuePostcode').replace(/\s+/g, '');
  if (!postcode) errors.push({ field: 'venuePostcode', message: 'Indiquez le code postal du lieu.' });
  else if (!/^\d{5}$/.test(postcode)) errors.push({ field: 'venuePostcode', message: 'Le code postal doit avoir 5 chiffres, par exemple 38000.' });
  const commune = communeOf(errors, body, communes);
  const facts = list(body, 'venueFacts').filter((f): f is VenueFact => (VENUE_FACTS as readonly string[]).includes(f));
  const directions = textField(errors, body, 'venueDirections', { max: 2000, label: "Le texte « Comment s'y rendre »" });
  return { name, address, postcode, commune, facts, accessDirections: directions || null, ...coordinates(errors, body) };
}

export function parseVenueForm(body: Body, communes: readonly string[]): { values: VenueFormValues; errors: FieldError[]; fields: VenueFields } {
  const errors: FieldError[] = [];
  const fields = parseVenueFields(body, errors, communes);
  return { values: venueFormValues(body), errors, fields };
}
