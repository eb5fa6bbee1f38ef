// The one list of words the whole product shares: categories, audiences, states and the
// accessibility vocabulary of DESIGN.md. Schema checks, forms, filters, exports and feeds all
// read from here, so a new value is added in exactly one place.

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

export const CATEGORY_LABELS: Record<EventCategory, string> = {
  sport: 'Sport',
  jardin_partage: 'Jardin partagé',
  atelier_culturel: 'Atelier culturel',
  cine_debat: 'Ciné-débat',
  conference: 'Conférence',
  exposition: 'Exposition',
  portes_ouvertes: 'Portes ouvertes',
  groupe_de_parole: 'Groupe de parole',
  balade: 'Balade',
  autre: 'Autre',
};

export const AUDIENCES = ['tout_public', 'jeunes', 'familles', 'adultes', 'seniors', 'professionnels'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const AUDIENCE_LABELS: Record<Audience, string> = {
  tout_public: 'Tout public',
  jeunes: 'Jeunes (12-25 ans)',
  familles: 'Familles',
  adultes: 'Adultes',
  seniors: 'Seniors',
  professionnels: 'Professionnel·les',
};

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

export const EVENT_STATE_LABELS: Record<EventState, string> = {
  draft: 'Brouillon',
  submitted: 'Proposé, en attente de relecture',
  changes_requested: 'Modifications demandées',
  published: 'Publié',
  cancelled: 'Annulé',
  refused: 'Refusé',
};

export const REGISTRATION_STATES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];

export const REGISTRATION_STATE_LABELS: Record<RegistrationState, string> = {
  confirmed: 'Confirmée',
  waitlisted: "Liste d'attente",
  cancelled: 'Annulée',
};

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

export const NEED_STATUS_LABELS: Record<NeedStatus, NeedStatusWording> = {
  requested: {
    organiser: 'Demandé, sans réponse',
    person: "Demandé : en attente de la réponse de l'organisateur",
    csv: 'demandé',
    mail: "transmis à l'organisation, en attente de sa réponse",
  },
  planned: { organiser: 'Prévu', person: 'Prévu', csv: 'prévu', mail: "prévu par l'organisation" },
  not_possible: {
    organiser: 'Impossible à assurer',
    person: 'Pas possible',
    csv: 'impossible',
    mail: "l'organisation ne pourra pas le mettre en place",
  },
};

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

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  association: 'Association',
  gem: "GEM (groupe d'entraide mutuelle)",
  service_municipal: 'Service municipal',
  etablissement_sante: 'Établissement de santé',
  bibliotheque: 'Bibliothèque, médiathèque',
  club_sportif: 'Club sportif',
  autre: 'Autre structure',
};

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

export const ACCESS_FEATURE_INFO: Record<AccessFeature, AccessFeatureInfo> = {
  lsf: { label: 'Interprétation LSF', requestLabel: 'Interprète en langue des signes (LSF)', family: 'hearing', schemaOrg: 'signLanguage' },
  captioning: { label: 'Vélotypie / sous-titrage', requestLabel: 'Vélotypie ou sous-titrage en direct', family: 'hearing', schemaOrg: 'captions' },
  caa: { label: 'Supports CAA, pictogrammes', requestLabel: 'Supports de communication alternative (CAA, pictogrammes)', family: 'intellectual', schemaOrg: 'alternativeText' },
  falc: { label: 'Documents FALC', requestLabel: 'Documents faciles à lire et à comprendre (FALC)', family: 'intellectual', schemaOrg: 'simplifiedLanguage' },
  audio_description: { label: 'Audiodescription', requestLabel: 'Audiodescription', family: 'visual', schemaOrg: 'audioDescription' },
  induction_loop: { label: 'Boucle magnétique', requestLabel: 'Boucle magnétique', family: 'hearing', schemaOrg: 'inductionLoop' },
  wheelchair: { label: 'Accès fauteuil', requestLabel: 'Accès en fauteuil roulant, sans marche', family: 'motor', schemaOrg: 'wheelchairAccessible' },
  companion: { label: 'Accompagnant·e bienvenu·e', requestLabel: "Venir avec un·e accompagnant·e", family: 'psychic', schemaOrg: null },
  quiet_space: { label: 'Espace calme', requestLabel: 'Un espace calme où se retirer', family: 'psychic', schemaOrg: 'quietSpace' },
  other: { label: 'Autre aménagement', requestLabel: 'Autre besoin', family: null, schemaOrg: null },
};

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
  hi: { family: 'hearing', label: 'Handicap auditif', venueFacts: ['inductionLoop'] },
  vi: { family: 'visual', label: 'Handicap visuel', venueFacts: [] },
  mi: { family: 'motor', label: 'Handicap moteur', venueFacts: ['stepFreeEntrance'] },
  pi: { family: 'psychic', label: 'Handicap psychique', venueFacts: ['quietRoom'] },
  ii: { family: 'intellectual', label: 'Handicap mental (intellectuel)', venueFacts: [] },
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
export const VENUE_FACT_LABELS: Record<VenueFact, string> = {
  stepFreeEntrance: 'Entrée de plain-pied',
  accessibleToilets: 'Toilettes accessibles',
  reservedParking: 'Places de stationnement réservées',
  inductionLoop: 'Boucle magnétique installée',
  quietRoom: 'Salle calme',
};
