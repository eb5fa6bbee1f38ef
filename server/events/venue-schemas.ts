// Form parsing for venues (their own page, or the fieldset inline in the event form).
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
}

export function venueFormValues(body: Body): VenueFormValues {
  return {
    venueName: str(body, 'venueName'),
    venueAddress: str(body, 'venueAddress'),
    venuePostcode: str(body, 'venuePostcode'),
    venueCommune: str(body, 'venueCommune'),
    venueFacts: list(body, 'venueFacts'),
    venueDirections: str(body, 'venueDirections'),
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
  };
}

/** The venue fieldset (its own page, or inline in the event form). */
export function parseVenueFields(body: Body, errors: FieldError[]): VenueFields {
  const name = textField(errors, body, 'venueName', { required: 'Indiquez le nom du lieu, par exemple « Médiathèque Jean-Jaurès ».', max: 150, label: 'Le nom du lieu' });
  const address = textField(errors, body, 'venueAddress', { required: "Indiquez l'adresse du lieu (numéro et rue).", max: 200, label: "L'adresse" });
  const postcode = str(body, 'venuePostcode').replace(/\s+/g, '');
  if (!postcode) errors.push({ field: 'venuePostcode', message: 'Indiquez le code postal du lieu.' });
  else if (!/^\d{5}$/.test(postcode)) errors.push({ field: 'venuePostcode', message: 'Le code postal doit avoir 5 chiffres, par exemple 38000.' });
  const commune = textField(errors, body, 'venueCommune', { required: 'Indiquez la commune du lieu.', max: 100, label: 'Le nom de la commune' });
  const facts = list(body, 'venueFacts').filter((f): f is VenueFact => (VENUE_FACTS as readonly string[]).includes(f));
  const directions = textField(errors, body, 'venueDirections', { max: 2000, label: "Le texte « Comment s'y rendre »" });
  return { name, address, postcode, commune, facts, accessDirections: directions || null };
}

export function parseVenueForm(body: Body): { values: VenueFormValues; errors: FieldError[]; fields: VenueFields } {
  const errors: FieldError[] = [];
  const fields = parseVenueFields(body, errors);
  return { values: venueFormValues(body), errors, fields };
}
