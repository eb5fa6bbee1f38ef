// The JSON export's schema, written once with TypeBox: the TypeScript types of what openagenda.ts
// builds, and the JSON Schema served at /donnees-ouvertes/schema.json, its descriptions in the
// request's language (tests validate the export against the served document with Ajv). The shape follows OpenAgenda's v2 event structure, so
// that agendas which import OpenAgenda read ours as they are; what OpenAgenda has no field for
// goes in `additionalFields`.
import { Type, type Static } from '@sinclair/typebox';
import { ACCESS_FEATURES, OPENAGENDA_ACCESSIBILITY_CODES } from '../domain/vocabulary.ts';
import { t } from '../i18n/index.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
/** A text keyed by language (ISO 639-1), as OpenAgenda writes every text: `{ "fr": "…" }`. */
const multilingual = () => Type.Object({ fr: Type.String() }, { additionalProperties: Type.String(), description: t('openData:schema.multilingual') });
const isoDateTime = () => Type.String({ format: 'date-time', description: t('openData:schema.isoDateTime') });

/** OpenAgenda's status codes (we use 1, 5 and 6). */
export const OPENAGENDA_STATUS = { scheduled: 1, rescheduled: 2, movedOnline: 3, postponed: 4, full: 5, cancelled: 6 } as const;
/** OpenAgenda's attendance modes. */
export const ATTENDANCE_MODE = { offline: 1, online: 2, mixed: 3 } as const;

/** The event's schema, its descriptions in the current language. */
function eventSchema() {
  const Multilingual = multilingual();
  const IsoDateTime = isoDateTime();
  return Type.Object(
    {
      uid: Type.Integer({ minimum: 1, description: t('openData:schema.uid') }),
      slug: Type.String({ pattern: '^[a-z0-9-]+$' }),
      title: Multilingual,
      description: Multilingual,
      longDescription: Multilingual,
      keywords: Type.Object({ fr: Type.Array(Type.String()) }),
      timings: Type.Array(Type.Object({ begin: IsoDateTime, end: IsoDateTime }), { minItems: 1 }),
      timezone: Type.String({ description: t('openData:schema.timezone') }),
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
        description: t('openData:schema.accessibility'),
      }),
      status: Type.Union(Object.values(OPENAGENDA_STATUS).map((code) => Type.Literal(code)), { description: t('openData:schema.status') }),
      attendanceMode: Type.Union(Object.values(ATTENDANCE_MODE).map((code) => Type.Literal(code)), { description: t('openData:schema.attendanceMode') }),
      onlineAccessLink: Nullable(Type.String({ format: 'uri' })),
      registration: Type.Array(Type.Object({ type: Type.Union([Type.Literal('link'), Type.Literal('phone'), Type.Literal('email')]), value: Type.String() })),
      age: Nullable(Type.Object({ min: Nullable(Type.Integer({ minimum: 0 })), max: Nullable(Type.Integer({ minimum: 0 })) })),
      updatedAt: IsoDateTime,
      additionalFields: Type.Object(
        {
          url: Type.String({ format: 'uri', description: t('openData:schema.url') }),
          category: Type.String(),
          audience: Type.String(),
          accessibilityFeatures: Type.Array(Type.Union(ACCESS_FEATURES.map((f) => Type.Literal(f))), { description: t('openData:schema.accessibilityFeatures') }),
          accessibilityLabels: Type.Array(Type.String()),
          venueAccessibility: Type.Array(Type.String(), { description: t('openData:schema.venueAccessibility') }),
          easyReadSummary: Nullable(Type.String({ description: t('openData:schema.easyReadSummary') })),
          contentNote: Nullable(Type.String({ description: t('openData:schema.contentNote') })),
          capacity: Nullable(Type.Integer({ minimum: 0 })),
          placesLeft: Nullable(Type.Integer({ minimum: 0, description: t('openData:schema.placesLeft') })),
          cancellationReason: Nullable(Type.String()),
          organiser: Type.Object({ id: Type.Integer(), name: Type.String(), phone: Nullable(Type.String()) }),
          territory: Type.Object({ slug: Type.String(), name: Type.String() }),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  );
}
export type OpenDataEvent = Static<ReturnType<typeof eventSchema>>;

/** The document's schema, its descriptions in the current language. */
function documentSchema() {
  return Type.Object(
    {
      total: Type.Integer({ minimum: 0, description: t('openData:schema.total') }),
      limit: Type.Integer({ minimum: 1, description: t('openData:schema.limit') }),
      licence: Type.Object({ name: Type.String(), url: Type.String({ format: 'uri' }) }),
      source: Type.String({ format: 'uri', description: t('openData:schema.source') }),
      events: Type.Array(eventSchema()),
    },
    { additionalProperties: false },
  );
}
export type OpenDataDocument = Static<ReturnType<typeof documentSchema>>;

/** The document served at OPEN_DATA_SCHEMA_PATH, in the current language. */
export function openDataJsonSchema(schemaUrl: string): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: schemaUrl,
    title: t('openData:schema.title'),
    ...documentSchema(),
  };
}
