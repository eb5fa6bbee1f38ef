// The one list of words the whole product shares: categories, audiences, states and the
// accessibility vocabulary of DESIGN.md. Schema checks, forms, filters, exports and feeds all
// read from here, so a new value is added in exactly one place. Their words live in the
// vocabulary catalogue of each language (server/i18n/catalogues/<lang>/vocabulary.json) and are
// read in the language of the moment.
import { t, translatedLabels } from '../i18n/index.ts';

export const EVENT_CATEGORIES = [
  'sport',
  'jardin_partage',
  'atelier_culturel',
  'cine_debat',
  'conference',
  'exposition',
  'portes_ouvertes',
  'groupe_de_parole',
  'balade',
  'autre',
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const CATEGORY_LABELS = translatedLabels('category', EVENT_CATEGORIES);

export const AUDIENCES = ['tout_public', 'jeunes', 'familles', 'adultes', 'seniors', 'professionnels'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const AUDIENCE_LABELS = translatedLabels('audience', AUDIENCES);

export const EVENT_STATES = ['draft', 'submitted', 'changes_requested', 'published', 'cancelled', 'refused'] as const;
export type EventState = (typeof EVENT_STATES)[number];

/**
 * The states in which an event has a public page: published, and cancelled (it stays visible,
 * marked « Annulé », so that people who planned to come learn it). Other states are seen only by
 * the organisation and the coordination.
 */
export const PUBLIC_STATES = ['published', 'cancelled'] as const satisfies readonly EventState[];
export type PublicState = (typeof PUBLIC_STATES)[number];

export function isPublicState(state: EventState): state is PublicState {
  return (PUBLIC_STATES as readonly EventState[]).includes(state);
}

export const EVENT_STATE_LABELS = translatedLabels('eventState', EVENT_STATES);

export const REGISTRATION_STATES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];

export const REGISTRATION_STATE_LABELS = translatedLabels('registrationState', REGISTRATION_STATES);

/** What a registration token opens: the manage page, or the person's calendar feed. */
export const REGISTRATION_TOKEN_KINDS = ['manage', 'feed'] as const;
export type RegistrationTokenKind = (typeof REGISTRATION_TOKEN_KINDS)[number];

export const NEED_STATUSES = ['requested', 'planned', 'not_possible'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

/**
 * A need's fulfilment state, worded for each reader: the organiser's list of registrations, the
 * person's manage page, the attendee CSV, and the sentences of the mails to the person.
 */
export interface NeedStatusWording {
  organiser: string;
  person: string;
  csv: string;
  mail: string;
}

export const NEED_STATUS_LABELS: Record<NeedStatus, NeedStatusWording> = Object.fromEntries(
  NEED_STATUSES.map((status) => [
    status,
    Object.freeze({
      get organiser() { return t(`vocabulary:needStatus.organiser.${status}`); },
      get person() { return t(`vocabulary:needStatus.person.${status}`); },
      get csv() { return t(`vocabulary:needStatus.csv.${status}`); },
      get mail() { return t(`vocabulary:needStatus.mail.${status}`); },
    }),
  ]),
) as Record<NeedStatus, NeedStatusWording>;

export const ORGANISATION_KINDS = [
  'association',
  'gem',
  'service_municipal',
  'etablissement_sante',
  'bibliotheque',
  'club_sportif',
  'autre',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_LABELS = translatedLabels('organisationKind', ORGANISATION_KINDS);

export const MEMBERSHIP_ROLES = ['member', 'coordinator'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** OpenAgenda groups accessibility into five families. */
export type AccessFamily = 'hearing' | 'visual' | 'motor' | 'psychic' | 'intellectual';

export const ACCESS_FEATURES = [
  'lsf',
  'captioning',
  'caa',
  'falc',
  'audio_description',
  'induction_loop',
  'wheelchair',
  'companion',
  'quiet_space',
  'other',
] as const;
export type AccessFeature = (typeof ACCESS_FEATURES)[number];

export interface AccessFeatureInfo {
  /** Short label, shown next to the icon (never the icon alone). */
  label: string;
  /** What a person asks for, in a registration form. */
  requestLabel: string;
  family: AccessFamily | null;
  /** schema.org accessibilityFeature value, when one fits. */
  schemaOrg: string | null;
}

const ACCESS_FEATURE_FACTS: Record<AccessFeature, Pick<AccessFeatureInfo, 'family' | 'schemaOrg'>> = {
  lsf: { family: 'hearing', schemaOrg: 'signLanguage' },
  captioning: { family: 'hearing', schemaOrg: 'captions' },
  caa: { family: 'intellectual', schemaOrg: 'alternativeText' },
  falc: { family: 'intellectual', schemaOrg: 'simplifiedLanguage' },
  audio_description: { family: 'visual', schemaOrg: 'audioDescription' },
  induction_loop: { family: 'hearing', schemaOrg: 'inductionLoop' },
  wheelchair: { family: 'motor', schemaOrg: 'wheelchairAccessible' },
  companion: { family: 'psychic', schemaOrg: null },
  quiet_space: { family: 'psychic', schemaOrg: 'quietSpace' },
  other: { family: null, schemaOrg: null },
};

export const ACCESS_FEATURE_INFO: Record<AccessFeature, AccessFeatureInfo> = Object.fromEntries(
  ACCESS_FEATURES.map((feature) => [
    feature,
    Object.freeze({
      ...ACCESS_FEATURE_FACTS[feature],
      get label() { return t(`vocabulary:accessFeature.${feature}`); },
      get requestLabel() { return t(`vocabulary:accessRequest.${feature}`); },
    }),
  ]),
) as Record<AccessFeature, AccessFeatureInfo>;

/** OpenAgenda's five accessibility flags (its v2 event `accessibility` object). */
export type OpenAgendaAccessibilityCode = 'hi' | 'vi' | 'mi' | 'pi' | 'ii';

/**
 * The open data's accessibility mapping, the one table (shown as is on /donnees-ouvertes): an
 * OpenAgenda flag is true when the event offers a feature of that family (ACCESS_FEATURE_INFO
 * .family), or when its venue has one of the facts listed here. Venue facts that make a place
 * usable on their own count; those that only help (toilets, parking) do not set a flag. « Autre
 * aménagement » belongs to no family: it sets none. Our exact words travel beside the flags
 * (additionalFields), since five booleans lose them.
 */
export const OPENAGENDA_ACCESSIBILITY: Record<OpenAgendaAccessibilityCode, { family: AccessFamily; label: string; venueFacts: readonly VenueFact[] }> = {
  hi: { family: 'hearing', get label() { return t('vocabulary:openAgenda.hi'); }, venueFacts: ['inductionLoop'] },
  vi: { family: 'visual', get label() { return t('vocabulary:openAgenda.vi'); }, venueFacts: [] },
  mi: { family: 'motor', get label() { return t('vocabulary:openAgenda.mi'); }, venueFacts: ['stepFreeEntrance'] },
  pi: { family: 'psychic', get label() { return t('vocabulary:openAgenda.pi'); }, venueFacts: ['quietRoom'] },
  ii: { family: 'intellectual', get label() { return t('vocabulary:openAgenda.ii'); }, venueFacts: [] },
};
export const OPENAGENDA_ACCESSIBILITY_CODES = Object.keys(OPENAGENDA_ACCESSIBILITY) as OpenAgendaAccessibilityCode[];

/** The OpenAgenda flags of an event that offers `features` in a venue that has `venueFacts`. */
export function openAgendaAccessibility(features: readonly AccessFeature[], venueFacts: readonly VenueFact[]): Record<OpenAgendaAccessibilityCode, boolean> {
  const families = new Set(features.map((f) => ACCESS_FEATURE_INFO[f].family));
  const flags = {} as Record<OpenAgendaAccessibilityCode, boolean>;
  for (const code of OPENAGENDA_ACCESSIBILITY_CODES) {
    const row = OPENAGENDA_ACCESSIBILITY[code];
    flags[code] = families.has(row.family) || row.venueFacts.some((fact) => venueFacts.includes(fact));
  }
  return flags;
}

export function isAccessFeature(value: string): value is AccessFeature {
  return (ACCESS_FEATURES as readonly string[]).includes(value);
}
export function isEventCategory(value: string): value is EventCategory {
  return (EVENT_CATEGORIES as readonly string[]).includes(value);
}
export function isAudience(value: string): value is Audience {
  return (AUDIENCES as readonly string[]).includes(value);
}

/** Venue facts, stored as booleans on the venue. */
export const VENUE_FACTS = ['stepFreeEntrance', 'accessibleToilets', 'reservedParking', 'inductionLoop', 'quietRoom'] as const;
export type VenueFact = (typeof VENUE_FACTS)[number];
export const VENUE_FACT_LABELS = translatedLabels('venueFact', VENUE_FACTS);
