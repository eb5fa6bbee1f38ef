// The JSON export's schema, written once with TypeBox: the TypeScript types of what openagenda.ts
// builds, and the JSON Schema served at /donnees-ouvertes/schema.json (tests validate the export
// against the served document with Ajv). The shape follows OpenAgenda's v2 event structure, so
// that agendas which import OpenAgenda read ours as they are; what OpenAgenda has no field for
// goes in `additionalFields`.
import { Type, type Static } from '@sinclair/typebox';
import { ACCESS_FEATURES, OPENAGENDA_ACCESSIBILITY_CODES } from '../domain/vocabulary.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
/** A text keyed by language (ISO 639-1), as OpenAgenda writes every text: `{ "fr": "…" }`. */
const Multilingual = Type.Object({ fr: Type.String() }, { additionalProperties: Type.String(), description: 'Texte par langue (code ISO 639-1).' });
const IsoDateTime = Type.String({ format: 'date-time', description: 'ISO 8601 avec le décalage du fuseau du territoire.' });

/** OpenAgenda's status codes (we use 1, 5 and 6). */
export const OPENAGENDA_STATUS = { scheduled: 1, rescheduled: 2, movedOnline: 3, postponed: 4, full: 5, cancelled: 6 } as const;
/** OpenAgenda's attendance modes. */
export const ATTENDANCE_MODE = { offline: 1, online: 2, mixed: 3 } as const;

export const OpenDataEventSchema = Type.Object(
  {
    uid: Type.Integer({ minimum: 1, description: "Identifiant de l'événement (celui de son adresse /evenements/:id)." }),
    slug: Type.String({ pattern: '^[a-z0-9-]+$' }),
    title: Multilingual,
    description: Multilingual,
    longDescription: Multilingual,
    keywords: Type.Object({ fr: Type.Array(Type.String()) }),
    timings: Type.Array(Type.Object({ begin: IsoDateTime, end: IsoDateTime }), { minItems: 1 }),
    timezone: Type.String({ description: 'Fuseau IANA du territoire, par exemple Europe/Paris.' }),
    location: Nullable(
      Type.Object({
        name: Type.String(),
        address: Type.String(),
        city: Type.String(),
        postalCode: Nullable(Type.String()),
        latitude: Nullable(Type.Number({ minimum: -90, maximum: 90 })),
        longitude: Nullable(Type.Number({ minimum: -180, maximum: 180 })),
        timezone: Type.String(),
        access: Nullable(Multilingual),
      }),
    ),
    accessibility: Type.Object(Object.fromEntries(OPENAGENDA_ACCESSIBILITY_CODES.map((code) => [code, Type.Boolean()])) as Record<(typeof OPENAGENDA_ACCESSIBILITY_CODES)[number], ReturnType<typeof Type.Boolean>>, {
      additionalProperties: false,
      description: 'hi auditif, vi visuel, mi moteur, pi psychique, ii intellectuel (voir la table de correspondance).',
    }),
    status: Type.Union(Object.values(OPENAGENDA_STATUS).map((code) => Type.Literal(code)), { description: '1 programmé, 5 complet, 6 annulé.' }),
    attendanceMode: Type.Union(Object.values(ATTENDANCE_MODE).map((code) => Type.Literal(code)), { description: '1 sur place, 2 en ligne, 3 mixte.' }),
    onlineAccessLink: Nullable(Type.String({ format: 'uri' })),
    registration: Type.Array(Type.Object({ type: Type.Union([Type.Literal('link'), Type.Literal('phone'), Type.Literal('email')]), value: Type.String() })),
    age: Nullable(Type.Object({ min: Nullable(Type.Integer({ minimum: 0 })), max: Nullable(Type.Integer({ minimum: 0 })) })),
    updatedAt: IsoDateTime,
    additionalFields: Type.Object(
      {
        url: Type.String({ format: 'uri', description: "La page publique de l'événement." }),
        category: Type.String(),
        audience: Type.String(),
        accessibilityFeatures: Type.Array(Type.Union(ACCESS_FEATURES.map((f) => Type.Literal(f))), { description: 'Nos aménagements exacts (LSF, vélotypie, CAA, FALC…).' }),
        accessibilityLabels: Type.Array(Type.String()),
        venueAccessibility: Type.Array(Type.String(), { description: 'Équipements du lieu (entrée de plain-pied, boucle magnétique…).' }),
        easyReadSummary: Nullable(Type.String({ description: 'Résumé en FALC (facile à lire et à comprendre).' })),
        contentNote: Nullable(Type.String({ description: 'Avertissement sur le contenu.' })),
        capacity: Nullable(Type.Integer({ minimum: 0 })),
        placesLeft: Nullable(Type.Integer({ minimum: 0, description: 'Places restantes ; null : entrée libre.' })),
        cancellationReason: Nullable(Type.String()),
        organiser: Type.Object({ id: Type.Integer(), name: Type.String(), phone: Nullable(Type.String()) }),
        territory: Type.Object({ slug: Type.String(), name: Type.String() }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type OpenDataEvent = Static<typeof OpenDataEventSchema>;

export const OpenDataDocumentSchema = Type.Object(
  {
    total: Type.Integer({ minimum: 0, description: 'Événements correspondant aux filtres (même au-delà de la limite).' }),
    limit: Type.Integer({ minimum: 1, description: "Au plus ce nombre d'événements dans `events`." }),
    licence: Type.Object({ name: Type.String(), url: Type.String({ format: 'uri' }) }),
    source: Type.String({ format: 'uri', description: 'La page du programme avec les mêmes filtres.' }),
    events: Type.Array(OpenDataEventSchema),
  },
  { additionalProperties: false },
);
export type OpenDataDocument = Static<typeof OpenDataDocumentSchema>;

/** The document served at OPEN_DATA_SCHEMA_PATH. */
export function openDataJsonSchema(schemaUrl: string): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: schemaUrl,
    title: 'Programme des SISM, données ouvertes (événements au format OpenAgenda v2)',
    ...OpenDataDocumentSchema,
  };
}
