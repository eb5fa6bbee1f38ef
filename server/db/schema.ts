// The whole domain of DESIGN.md as drizzle tables. Enumerations are text columns with CHECK
// constraints built from server/domain/vocabulary.ts (easier to extend than PostgreSQL enums).
import { sql, type SQL } from 'drizzle-orm';
import {
  pgTable,
  integer,
  bigint,
  text,
  boolean,
  timestamp,
  date,
  doublePrecision,
  jsonb,
  index,
  uniqueIndex,
  check,
  customType,
  primaryKey,
} from 'drizzle-orm/pg-core';
import {
  ACCESS_FEATURES,
  AUDIENCES,
  EVENT_CATEGORIES,
  EVENT_STATES,
  MEMBERSHIP_ROLES,
  NEED_STATUSES,
  ORGANISATION_KINDS,
  REGISTRATION_STATES,
  REGISTRATION_TOKEN_KINDS,
  type AccessFeature,
  type Audience,
  type EventCategory,
  type EventState,
  type MembershipRole,
  type NeedStatus,
  type OrganisationKind,
  type RegistrationState,
  type RegistrationTokenKind,
} from '../domain/vocabulary.ts';
import type { EventTranslations } from '../domain/event-text.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** `column IN ('a','b',…)` for a CHECK constraint. */
function oneOf(column: SQL | ReturnType<typeof sql.raw>, values: readonly string[]): SQL {
  return sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;
}
/** Every element of a text[] belongs to the list. */
function allOf(column: SQL, values: readonly string[]): SQL {
  return sql`${column} <@ array[${sql.raw(values.map((v) => `'${v}'`).join(', '))}]::text[]`;
}

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => tz('created_at').notNull().defaultNow();

export const territory = pgTable('territory', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull().default('Europe/Paris'),
  communes: text('communes').array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
});

/** One year of SISM, national: the same dates for every territory. */
export const edition = pgTable(
  'edition',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    year: integer('year').notNull().unique(),
    theme: text('theme').notNull(),
    firstDay: date('first_day', { mode: 'string' }).notNull(),
    lastDay: date('last_day', { mode: 'string' }).notNull(),
    proposalsOpen: boolean('proposals_open').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [check('edition_days_ordered', sql`${t.lastDay} >= ${t.firstDay}`)],
);

export const organisation = pgTable(
  'organisation',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer('territory_id').notNull().references(() => territory.id),
    name: text('name').notNull(),
    kind: text('kind').$type<OrganisationKind>().notNull(),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    website: text('website'),
    createdAt: createdAt(),
  },
  (t) => [check('organisation_kind', oneOf(sql`${t.kind}`, ORGANISATION_KINDS)), index('organisation_territory_idx').on(t.territoryId)],
);

export const appUser = pgTable(
  'app_user',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    email: text('email').notNull(),
    name: text('name'),
    isAdmin: boolean('is_admin').notNull().default(false),
    createdAt: createdAt(),
    lastSignInAt: tz('last_sign_in_at'),
  },
  (t) => [uniqueIndex('app_user_email_key').on(sql`lower(${t.email})`)],
);

/** A user's role in one organisation (member) or one territory (coordinator). */
export const membership = pgTable(
  'membership',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id').notNull().references(() => appUser.id, { onDelete: 'cascade' }),
    role: text('role').$type<MembershipRole>().notNull(),
    organisationId: integer('organisation_id').references(() => organisation.id, { onDelete: 'cascade' }),
    territoryId: integer('territory_id').references(() => territory.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    check('membership_role', oneOf(sql`${t.role}`, MEMBERSHIP_ROLES)),
    check(
      'membership_scope',
      sql`(${t.role} = 'member' and ${t.organisationId} is not null and ${t.territoryId} is null)
       or (${t.role} = 'coordinator' and ${t.territoryId} is not null and ${t.organisationId} is null)`,
    ),
    uniqueIndex('membership_user_org_key').on(t.userId, t.organisationId),
    uniqueIndex('membership_user_territory_key').on(t.userId, t.territoryId),
  ],
);

export const venue = pgTable(
  'venue',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    organisationId: integer('organisation_id').references(() => organisation.id, { onDelete: 'cascade' }),
    territoryId: integer('territory_id').notNull().references(() => territory.id),
    name: text('name').notNull(),
    address: text('address').notNull(),
    postcode: text('postcode').notNull(),
    commune: text('commune').notNull(),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    stepFreeEntrance: boolean('step_free_entrance').notNull().default(false),
    accessibleToilets: boolean('accessible_toilets').notNull().default(false),
    reservedParking: boolean('reserved_parking').notNull().default(false),
    inductionLoop: boolean('induction_loop').notNull().default(false),
    quietRoom: boolean('quiet_room').notNull().default(false),
    accessDirections: text('access_directions'),
    createdAt: createdAt(),
  },
  (t) => [
    index('venue_organisation_idx').on(t.organisationId),
    index('venue_commune_idx').on(t.commune),
    // Both or neither: a point needs its two coordinates (WGS 84 degrees).
    check('venue_coordinates', sql`(${t.latitude} is null) = (${t.longitude} is null)`),
    check('venue_latitude', sql`${t.latitude} between -90 and 90`),
    check('venue_longitude', sql`${t.longitude} between -180 and 180`),
  ],
);

export const event = pgTable(
  'event',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    editionId: integer('edition_id').notNull().references(() => edition.id),
    territoryId: integer('territory_id').notNull().references(() => territory.id),
    organisationId: integer('organisation_id').notNull().references(() => organisation.id),
    venueId: integer('venue_id').references(() => venue.id),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    /**
     * The organiser's own title and summary in other languages, by language code
     * ({ en: { title, summary } }): shown on that language's pages and feeds instead of the French.
     */
    translations: jsonb('translations').$type<EventTranslations>().notNull().default({}),
    description: text('description').notNull().default(''),
    easyReadSummary: text('easy_read_summary'),
    category: text('category').$type<EventCategory>().notNull(),
    audience: text('audience').$type<Audience>().notNull().default('tout_public'),
    startsAt: tz('starts_at').notNull(),
    endsAt: tz('ends_at').notNull(),
    onlineUrl: text('online_url'),
    /** null: free entry, no registration count. */
    capacity: integer('capacity'),
    registrationOpensAt: tz('registration_opens_at'),
    registrationClosesAt: tz('registration_closes_at'),
    accessRequestDeadline: tz('access_request_deadline'),
    accessibilityOffered: text('accessibility_offered').array().$type<AccessFeature[]>().notNull().default(sql`'{}'::text[]`),
    contentNote: text('content_note'),
    state: text('state').$type<EventState>().notNull().default('draft'),
    /** iTIP SEQUENCE: bumped by every published change that matters (time, place, cancellation). */
    sequence: integer('sequence').notNull().default(0),
    cancellationReason: text('cancellation_reason'),
    /** Set by a coordinator who accepts dates outside the edition. */
    outsideEditionApproved: boolean('outside_edition_approved').notNull().default(false),
    publishedAt: tz('published_at'),
    createdAt: createdAt(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
    /**
     * What the programme search matches: the event's own text, its venue's name and commune and its
     * organiser's name, accents ignored (french_unaccent). A generated column cannot read the venue
     * or the organisation, so triggers keep it (migration event_search_place_organiser): on the
     * event's insert or text change, and on a venue's or an organisation's rename. Never written
     * by the app.
     */
    searchVector: tsvector('search_vector'),
    // What the programme filters and sorts on, kept in the row so that one index answers every
    // filter and the order at any size (issue 18, migration programme_flat_cost). Never written by
    // the app: triggers and generated columns keep them.
    /**
     * Confirmed seats, companions included: kept by a trigger on registration, in the
     * transaction that changes them (the event row is already locked there). The capacity rules
     * still count the rows themselves, under that lock (registrations/capacity.ts).
     */
    seatsTaken: integer('seats_taken').notNull().default(0),
    /** Places left, or free entry (« places disponibles »). */
    hasPlaces: boolean('has_places').generatedAlwaysAs(sql`capacity is null or capacity > seats_taken`),
    /** The event's wall-clock times in its territory's zone: the programme's order and its days. */
    startsLocal: timestamp('starts_local', { mode: 'string' }),
    endsLocal: timestamp('ends_local', { mode: 'string' }),
    /** accessibility_offered as bits in ACCESS_FEATURES order (SQL function access_mask). */
    accessMask: integer('access_mask').generatedAlwaysAs(sql`access_mask(accessibility_offered)`),
  },
  (t) => [
    check('event_category', oneOf(sql`${t.category}`, EVENT_CATEGORIES)),
    check('event_audience', oneOf(sql`${t.audience}`, AUDIENCES)),
    check('event_state', oneOf(sql`${t.state}`, EVENT_STATES)),
    check('event_accessibility', allOf(sql`${t.accessibilityOffered}`, ACCESS_FEATURES)),
    check('event_capacity', sql`${t.capacity} is null or ${t.capacity} >= 0`),
    check('event_times', sql`${t.endsAt} > ${t.startsAt}`),
    check('event_sequence', sql`${t.sequence} >= 0`),
    index('event_programme_idx').on(t.editionId, t.state, t.startsAt),
    index('event_organisation_idx').on(t.organisationId),
    index('event_territory_idx').on(t.territoryId, t.state),
    index('event_venue_idx').on(t.venueId),
    // Every programme filter is a column of this index (INCLUDE added by hand in the migration):
    // counting and paging read the index alone, in the programme's order.
    index('event_programme_order_idx').on(t.editionId, t.startsLocal, t.id).where(sql`state in ('published', 'cancelled')`),
    check('event_seats_taken', sql`${t.seatsTaken} >= 0`),
    index('event_search_idx').using('gin', t.searchVector),
  ],
);

/**
 * Each event's VEVENT as the public feeds write it, kept between generations (server/calendar/
 * entries.ts). `fingerprint` is a hash of what the text was rendered from (the versions of the
 * event's row and of its joins, the links' base URL, the rendering code): a row whose fingerprint
 * no longer matches is simply not used, so nothing has to invalidate it.
 */
export const calendarEntry = pgTable(
  'calendar_entry',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => event.id, { onDelete: 'cascade' }),
    /** Entries are written in a feed's language: one per event and language. */
    language: text('language').notNull().default('fr'),
    fingerprint: text('fingerprint').notNull(),
    /** Folded content lines, CRLF-terminated. */
    body: text('body').notNull(),
    /** TZID the times are written in (null: in UTC), and the years its VTIMEZONE must cover. */
    timeZone: text('time_zone'),
    firstYear: integer('first_year'),
    lastYear: integer('last_year'),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.language] })],
);

/** Every state change and every published change that matters, with who and why. */
export const eventHistory = pgTable(
  'event_history',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id').notNull().references(() => event.id, { onDelete: 'cascade' }),
    actorUserId: integer('actor_user_id').references(() => appUser.id, { onDelete: 'set null' }),
    fromState: text('from_state').$type<EventState>(),
    toState: text('to_state').$type<EventState>().notNull(),
    message: text('message'),
    /** Fields changed, e.g. {"startsAt": ["old", "new"]}; a snapshot at submission for "what changed". */
    changes: jsonb('changes').$type<Record<string, unknown>>(),
    sequence: integer('sequence').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('event_history_event_idx').on(t.eventId, t.createdAt)],
);

export const registration = pgTable(
  'registration',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id').notNull().references(() => event.id, { onDelete: 'cascade' }),
    /** The person who comes. Nulled by the identity purge. */
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    /** The person plus companions / carers: all count toward capacity. */
    seats: integer('seats').notNull().default(1),
    onBehalf: boolean('on_behalf').notNull().default(false),
    /** The helper (care worker, relative) who registered on the person's behalf. */
    contactName: text('contact_name'),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    /** When consent to receive texts was given (a phone given for contact is not consent): the
     *  person's phone, or the helper's when registered on their behalf (notify.ts). */
    smsConsentAt: tz('sms_consent_at'),
    /** Explicit consent to process access needs (health data); null means none given. */
    needsConsentAt: tz('needs_consent_at'),
    state: text('state').$type<RegistrationState>().notNull(),
    /** The language the person registered in (a catalogue's code): their mails, texts and invites are written in it. */
    language: text('language').notNull().default('fr'),
    waitlistPosition: integer('waitlist_position'),
    /**
     * Added to the event's iTIP SEQUENCE in this registration's invites and calendar entries: bumped
     * when the person changes their seats, so the updated invite outranks the one they hold.
     */
    inviteSequence: integer('invite_sequence').notNull().default(0),
    checkedInAt: tz('checked_in_at'),
    /** Organiser who registered this person by phone, if any. */
    createdByUserId: integer('created_by_user_id').references(() => appUser.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
    cancelledAt: tz('cancelled_at'),
    identityPurgedAt: tz('identity_purged_at'),
  },
  (t) => [
    check('registration_state', oneOf(sql`${t.state}`, REGISTRATION_STATES)),
    check('registration_seats', sql`${t.seats} >= 1`),
    check(
      'registration_waitlist',
      sql`(${t.state} = 'waitlisted') = (${t.waitlistPosition} is not null)`,
    ),
    uniqueIndex('registration_event_email_key')
      .on(t.eventId, sql`lower(${t.email})`)
      .where(sql`${t.state} <> 'cancelled' and ${t.email} is not null`),
    index('registration_event_state_idx').on(t.eventId, t.state),
  ],
);

/**
 * Capability tokens of a registration: 32 random bytes, only their SHA-256 stored. Several per
 * registration (one per mail that carries a link, one for the result page), all valid until the
 * registration is erased or its identity purged.
 */
export const registrationToken = pgTable(
  'registration_token',
  {
    tokenHash: text('token_hash').primaryKey(),
    registrationId: integer('registration_id').notNull().references(() => registration.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<RegistrationTokenKind>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('registration_token_kind', oneOf(sql`${t.kind}`, REGISTRATION_TOKEN_KINDS)),
    index('registration_token_registration_idx').on(t.registrationId),
  ],
);

export const accessNeed = pgTable(
  'access_need',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    registrationId: integer('registration_id').notNull().references(() => registration.id, { onDelete: 'cascade' }),
    category: text('category').$type<AccessFeature>().notNull(),
    detail: text('detail'),
    status: text('status').$type<NeedStatus>().notNull().default('requested'),
    /** The organiser's message back to the person. */
    response: text('response'),
    answeredAt: tz('answered_at'),
    answeredByUserId: integer('answered_by_user_id').references(() => appUser.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    check('access_need_category', oneOf(sql`${t.category}`, ACCESS_FEATURES)),
    check('access_need_status', oneOf(sql`${t.status}`, NEED_STATUSES)),
    uniqueIndex('access_need_registration_category_key').on(t.registrationId, t.category),
  ],
);

/**
 * Aggregate counts of access needs, kept for statistics after the needs themselves are purged
 * (registrations/purge.ts): per event and category, never per person. The figures and the bilan
 * (reports feature) add these to the needs still stored.
 */
export const accessNeedTally = pgTable(
  'access_need_tally',
  {
    eventId: integer('event_id').notNull().references(() => event.id, { onDelete: 'cascade' }),
    category: text('category').$type<AccessFeature>().notNull(),
    /** Still unanswered when purged. */
    requested: integer('requested').notNull().default(0),
    planned: integer('planned').notNull().default(0),
    notPossible: integer('not_possible').notNull().default(0),
    /** Declared after the event's access-request deadline (its start when it has none). Counts
     *  purged before this column existed are 0 here: their timing was not kept. */
    declaredLate: integer('declared_late').notNull().default(0),
    /** Answered (planned or not possible) on or before that deadline. */
    answeredByDeadline: integer('answered_by_deadline').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.category] }), check('access_need_tally_category', oneOf(sql`${t.category}`, ACCESS_FEATURES))],
);

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
/** How an outbox row reaches its recipient (docs/decisions/0011-notification-channels.md). */
export const OUTBOX_CHANNELS = ['email', 'sms'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

/** Every email is a row here first, written in the transaction of the change that causes it. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    /** 'sms': the recipient is an E.164 number and the row renders as a text (same claims, retries). */
    channel: text('channel').$type<OutboxChannel>().notNull().default('email'),
    recipient: text('recipient').notNull(),
    /** Ids and values the template needs; rendered when sent, from current data. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    /** The language the message is written in when it is sent (the recipient's). */
    language: text('language').notNull().default('fr'),
    /** Stops the same mail being queued twice (e.g. one reminder per registration and offset). */
    dedupeKey: text('dedupe_key'),
    status: text('status').$type<OutboxStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    sendAfter: tz('send_after').notNull().defaultNow(),
    lastError: text('last_error'),
    messageId: text('message_id'),
    createdAt: createdAt(),
    sentAt: tz('sent_at'),
  },
  (t) => [
    check('outbox_status', oneOf(sql`${t.status}`, OUTBOX_STATUSES)),
    check('outbox_channel', oneOf(sql`${t.channel}`, OUTBOX_CHANNELS)),
    uniqueIndex('outbox_dedupe_key').on(t.dedupeKey),
    index('outbox_due_idx').on(t.sendAfter).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * « Personnes à prévenir par téléphone »: a notification that reached nobody (no e-mail, no texts,
 * or a text that failed for good), for the organiser to make by phone. Open until ticked « prévenu·e ».
 */
export const callRequest = pgTable(
  'call_request',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    registrationId: integer('registration_id').notNull().references(() => registration.id, { onDelete: 'cascade' }),
    /** The notification's kind (its label says why to call). */
    kind: text('kind').notNull(),
    /** The notification's dedupe key: the same notice is never listed twice. */
    dedupeKey: text('dedupe_key'),
    createdAt: createdAt(),
    doneAt: tz('done_at'),
    doneByUserId: integer('done_by_user_id').references(() => appUser.id, { onDelete: 'set null' }),
  },
  (t) => [uniqueIndex('call_request_dedupe_key').on(t.dedupeKey), index('call_request_open_idx').on(t.registrationId).where(sql`${t.doneAt} is null`)],
);

/**
 * A message an organiser wrote to everyone registered for an event (confirmed or waiting), kept
 * once: each person's notice (a mail, a text or a call-list line, decision 0011) points to it and
 * renders it at send time. Who wrote it, when, and how the people were reached stay with it.
 */
export const eventMessage = pgTable(
  'event_message',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id').notNull().references(() => event.id, { onDelete: 'cascade' }),
    authorUserId: integer('author_user_id').references(() => appUser.id, { onDelete: 'set null' }),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** How many were sent by e-mail, by text, and listed to be called. */
    emails: integer('emails').notNull(),
    texts: integer('texts').notNull(),
    calls: integer('calls').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('event_message_event_idx').on(t.eventId, t.createdAt)],
);

/** Server-side sessions (revocable). */
export const session = pgTable(
  'session',
  {
    sid: text('sid').primaryKey(),
    userId: integer('user_id').references(() => appUser.id, { onDelete: 'cascade' }),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    expiresAt: tz('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('session_user_idx').on(t.userId), index('session_expires_idx').on(t.expiresAt)],
);

/** Single-use sign-in links: only the SHA-256 of the token is stored. */
export const signInToken = pgTable(
  'sign_in_token',
  {
    tokenHash: text('token_hash').primaryKey(),
    email: text('email').notNull(),
    expiresAt: tz('expires_at').notNull(),
    usedAt: tz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('sign_in_token_email_idx').on(t.email)],
);

/** Who read or exported health data, when, for which event — never the data itself. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    actorUserId: integer('actor_user_id').references(() => appUser.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    eventId: integer('event_id').references(() => event.id, { onDelete: 'set null' }),
    registrationId: integer('registration_id'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_event_idx').on(t.eventId, t.createdAt)],
);

/**
 * Per-address request counts of the rate limits, shared by every app process on one PostgreSQL
 * (an in-memory count per process would let N processes allow N times the limit). Key: the route
 * and the address; a row's window restarts once it has ended.
 */
export const rateLimitHit = pgTable('rate_limit_hit', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  windowEndsAt: tz('window_ends_at').notNull(),
});
