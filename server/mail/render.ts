// Renders an outbox row into a mail, at send time, from current data: the payload only holds ids,
// so a reminder sent days later shows today's time and place. Each kind has a loader (what to
// read, whether the mail still makes sense, the subject, the invite) and a template pair
// views/emails/<kind>.html.eta / .text.eta inside a shared layout.
//
// A row about something gone (registration erased, event cancelled before its reminder) is not an
// error: the loader returns { skip } and the worker marks the row sent with that note.
import { Eta } from 'eta';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { pgArray, type Database } from '../db/client.ts';
import { accessNeed, appUser, event, organisation, registration, territory } from '../db/schema.ts';
import { ACCESS_FEATURE_INFO, ACCESS_FEATURES, VENUE_FACT_LABELS, type AccessFeature, type NeedStatus, type RegistrationTokenKind, type VenueFact } from '../domain/vocabulary.ts';
import { loadCalendarEvents, type CalendarEvent } from '../calendar/ical.ts';
import { changeLines, type ChangeLine } from '../events/present.ts';
import { formatDateTime, formatRange } from '../lib/time.ts';
import { viewsDir } from '../plugins/views.ts';
import { personalFeedUrls } from '../calendar/links.ts';
import { linksRecipient, manageUrl, storeTokens, type TokenToStore } from '../registrations/links.ts';
import { groupCommit } from '../lib/group-commit.ts';
import { randomToken } from '../lib/tokens.ts';
import { buildInvite, type Invite } from '../calendar/invite.ts';
import type { MailKind } from './outbox.ts';

export interface MailRow {
  id: number;
  kind: MailKind;
  recipient: string;
  payload: Record<string, unknown>;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  invite?: Invite;
}

export type RenderResult = RenderedMail | { skip: string };

/** What a loader hands to the templates. */
interface Prepared {
  subject: string;
  data: Record<string, unknown>;
  /** Why the person gets this mail (the footer). */
  reason: string;
  invite?: Invite;
}
type Skip = { skip: string };
type Loader = (ctx: LoadContext) => Promise<Prepared | Skip>;
interface LoadContext {
  db: Database;
  config: Config;
  row: MailRow;
  now: Date;
  batch: RenderBatch;
}

/**
 * What the mails of one worker batch share, so that a batch costs a few statements rather than a
 * few per mail: a notice or a reminder goes to every registrant of an event, and each would read
 * the same event again; the registrations of the batch are read together; the tokens of its mails,
 * all rendered at once by the worker, are stored together. A batch lasts seconds; an edit committed
 * meanwhile sends its own mail, rendered afterwards.
 */
export interface RenderBatch {
  /** The event as calendars and mails describe it. */
  event(eventId: number): Promise<CalendarEvent | null>;
  /** The registration with its needs; null once erased or its identity purged. */
  registration(registrationId: number): Promise<LoadedRegistration | null>;
  /** A new token of this kind (only its hash is stored); null if the registration is gone. */
  mint(registrationId: number, kind: RegistrationTokenKind, now: Date): Promise<string | null>;
}

/** Values by id, each read at most once, many in one statement. */
function memoById<V>(load: (ids: number[]) => Promise<Map<number, V>>) {
  const memo = new Map<number, Promise<V | null>>();
  const preload = (ids: Iterable<number>) => {
    const missing = [...new Set(ids)].filter((id) => !memo.has(id));
    if (missing.length === 0) return;
    const found = load(missing);
    for (const id of missing) {
      const one = found.then((values) => values.get(id) ?? null);
      // Whoever asks for it sees the error; one read ahead and never asked for must not crash the process.
      one.catch(() => {});
      memo.set(id, one);
    }
  };
  return {
    preload,
    get(id: number): Promise<V | null> {
      preload([id]);
      return memo.get(id)!;
    },
  };
}

/** `payloads`: those of the batch's rows, whose registrations (and their events) are then read in one statement (two). */
export function newRenderBatch(db: Database, config: Pick<Config, 'publicUrl'>, payloads: ReadonlyArray<Record<string, unknown>> = []): RenderBatch {
  const events = memoById(async (ids) => new Map((await loadCalendarEvents(db, { publicUrl: config.publicUrl, where: sql`${event.id} = any(${pgArray(ids)}::int[])` })).map((e) => [e.id, e])));
  const registrations = memoById(async (ids) => {
    const found = await loadRegistrations(db, ids);
    events.preload([...found.values()].map((r) => r.reg.eventId));
    return found;
  });
  let unread: number[] = payloads.map((p) => num(p.registrationId)).filter((id) => id !== null);
  const store = groupCommit((tokens: TokenToStore[]) => storeTokens(db, tokens));
  return {
    event: events.get,
    registration(registrationId) {
      // The first one asked for is read with every other one of the batch.
      registrations.preload([registrationId, ...unread]);
      unread = [];
      return registrations.get(registrationId);
    },
    async mint(registrationId, kind, now) {
      const token = randomToken();
      return (await store({ token, registrationId, kind, createdAt: now })) ? token : null;
    },
  };
}

// Two engines: HTML escapes what it prints, plain text must not (« l'atelier », not « l&#39;atelier »).
const engines = new Map<string, Eta>();
function engine(kind: 'html' | 'text', cache: boolean): Eta {
  const key = `${kind}|${cache}`;
  let eta = engines.get(key);
  if (!eta) {
    eta = new Eta({ views: viewsDir, cache, autoEscape: kind === 'html', autoTrim: false });
    engines.set(key, eta);
  }
  return eta;
}

// ——— View models shared by the templates ———

export interface EmailEvent {
  id: number;
  title: string;
  when: string;
  url: string;
  venue: {
    name: string;
    address: string;
    postcode: string;
    commune: string;
    accessDirections: string | null;
    /** Labels of the venue's access facts (« Entrée de plain-pied »…). */
    facts: string[];
    stepFreeEntrance: boolean;
  } | null;
  onlineUrl: string | null;
  organiserName: string;
  organiserEmail: string | null;
  cancellationReason: string | null;
}

function emailEvent(data: CalendarEvent): EmailEvent {
  return {
    id: data.id,
    title: data.title,
    when: formatRange(data.startsAt, data.endsAt, data.timeZone),
    url: data.url,
    venue: data.venue
      ? {
          name: data.venue.name,
          address: data.venue.address,
          postcode: data.venue.postcode,
          commune: data.venue.commune,
          accessDirections: data.venue.accessDirections ?? null,
          facts: (data.venue.facts ?? []).map((fact) => VENUE_FACT_LABELS[fact as VenueFact] ?? fact),
          stepFreeEntrance: (data.venue.facts ?? []).includes('stepFreeEntrance'),
        }
      : null,
    onlineUrl: data.onlineUrl,
    organiserName: data.organiser.name,
    organiserEmail: data.organiser.email,
    cancellationReason: data.cancellationReason ?? null,
  };
}

export interface EmailNeed {
  category: AccessFeature;
  label: string;
  detail: string | null;
  status: NeedStatus;
  /** « en attente de réponse de l'organisation », « prévu », « pas possible » */
  statusText: string;
  response: string | null;
}

const NEED_STATUS_TEXT: Record<NeedStatus, string> = {
  requested: "transmis à l'organisation, en attente de sa réponse",
  planned: "prévu par l'organisation",
  not_possible: "l'organisation ne pourra pas le mettre en place",
};

type RegistrationRow = typeof registration.$inferSelect;
type LoadedRegistration = { reg: RegistrationRow; needs: EmailNeed[] };

function emailNeed(n: typeof accessNeed.$inferSelect): EmailNeed {
  return {
    category: n.category,
    label: ACCESS_FEATURE_INFO[n.category]?.requestLabel ?? n.category,
    detail: n.detail,
    status: n.status,
    statusText: NEED_STATUS_TEXT[n.status] ?? n.status,
    response: n.response,
  };
}

/** Registrations with their needs (in the order they were declared), by id; erased or purged ones are absent. */
async function loadRegistrations(db: Database, ids: number[]): Promise<Map<number, LoadedRegistration>> {
  const regs = await db.select().from(registration).where(sql`${registration.id} = any(${pgArray(ids)}::int[])`);
  const found = new Map<number, LoadedRegistration>(regs.filter((reg) => !reg.identityPurgedAt).map((reg) => [reg.id, { reg, needs: [] }]));
  if (found.size === 0) return found;
  const needs = await db.select().from(accessNeed).where(sql`${accessNeed.registrationId} = any(${pgArray([...found.keys()])}::int[])`).orderBy(asc(accessNeed.id));
  for (const need of needs) found.get(need.registrationId)!.needs.push(emailNeed(need));
  return found;
}

/** Who reads the mail: the person, or the helper who registered them (on their behalf). */
function reader(reg: RegistrationRow, recipient: string) {
  const toHelper = reg.onBehalf && reg.contactEmail !== null && reg.contactEmail.toLowerCase() === recipient.toLowerCase() && reg.email?.toLowerCase() !== recipient.toLowerCase();
  const person = reg.name ?? 'la personne inscrite';
  return {
    greetName: (toHelper ? reg.contactName : reg.name) ?? null,
    /** « votre inscription » or « l'inscription de Marie Dupont », and capitalised. */
    theRegistration: toHelper ? `l'inscription de ${person}` : 'votre inscription',
    TheRegistration: toHelper ? `L'inscription de ${person}` : 'Votre inscription',
    /** Set when the reader is not the person who comes. */
    forPerson: toHelper ? reg.name : null,
    seats: reg.seats,
    waitlistPosition: reg.waitlistPosition,
  };
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

const ERASED = 'inscription effacée';

const REGISTRANT_REASON = "Vous recevez ce message parce qu'une inscription a été faite avec cette adresse sur Rassembler.";

/**
 * Which of the person's links a mail carries. Each rendered mail mints its own tokens (only
 * their hashes are stored), so no raw token ever sits in the outbox. The feed link only goes to
 * the registration's own address: holding it proves access to that mailbox, and the feed lists
 * every registration made with the address.
 */
type Links = 'none' | 'manage' | 'manage+feed';

/** The common part of every mail about one registration. */
async function registrationMail(
  ctx: LoadContext,
  registrationId: number | null,
  accept: (reg: RegistrationRow, ev: CalendarEvent) => string | null,
  links: Links = 'manage',
): Promise<{ reg: RegistrationRow; needs: EmailNeed[]; cal: CalendarEvent; data: Record<string, unknown> } | Skip> {
  if (registrationId === null) return { skip: 'contenu incomplet (inscription absente du message)' };
  const found = await ctx.batch.registration(registrationId);
  if (!found) return { skip: ERASED };
  const cal = await ctx.batch.event(found.reg.eventId);
  if (!cal) return { skip: 'événement effacé' };
  const refused = accept(found.reg, cal);
  if (refused) return { skip: refused };
  const { reg } = found;
  // The feed link only to the registration's own address (see linksRecipient).
  const own = linksRecipient(reg);
  const withFeed = links === 'manage+feed' && 'to' in own && own.to.toLowerCase() === ctx.row.recipient.toLowerCase();
  // Asked for together, so both go in the same statement.
  const [manage, feed] = await Promise.all([links === 'none' ? null : ctx.batch.mint(reg.id, 'manage', ctx.now), withFeed ? ctx.batch.mint(reg.id, 'feed', ctx.now) : null]);
  // Erased since it was read: a link that opens nothing is no use.
  if ((links !== 'none' && manage === null) || (withFeed && feed === null)) return { skip: ERASED };
  return {
    ...found,
    cal,
    data: {
      event: emailEvent(cal),
      reader: reader(reg, ctx.row.recipient),
      needs: found.needs,
      manageUrl: manage === null ? null : manageUrl(ctx.config, manage),
      personalFeed: feed === null ? null : personalFeedUrls(ctx.config, feed),
    },
  };
}

function invite(ctx: LoadContext, cal: CalendarEvent, reg: RegistrationRow, method: 'REQUEST' | 'CANCEL'): Invite {
  return buildInvite(ctx.config, cal, { registrationId: reg.id, email: ctx.row.recipient, name: reg.name }, method, ctx.now);
}

/** Needs of an event's active registrations, counted per category and status. */
async function needCounts(db: Database, eventId: number) {
  const rows = await db
    .select({ category: accessNeed.category, status: accessNeed.status, count: sql<number>`count(*)::int` })
    .from(accessNeed)
    .innerJoin(registration, eq(registration.id, accessNeed.registrationId))
    .where(and(eq(registration.eventId, eventId), ne(registration.state, 'cancelled')))
    .groupBy(accessNeed.category, accessNeed.status);
  const byCategory = new Map<AccessFeature, { label: string; requested: number; planned: number; notPossible: number }>();
  for (const r of rows) {
    const entry = byCategory.get(r.category) ?? { label: ACCESS_FEATURE_INFO[r.category]?.requestLabel ?? r.category, requested: 0, planned: 0, notPossible: 0 };
    const n = Number(r.count);
    if (r.status === 'requested') entry.requested += n;
    else if (r.status === 'planned') entry.planned += n;
    else entry.notPossible += n;
    byCategory.set(r.category, entry);
  }
  const categories = ACCESS_FEATURES.filter((c) => byCategory.has(c)).map((c) => ({ category: c, ...byCategory.get(c)! }));
  return { categories, requested: categories.reduce((sum, c) => sum + c.requested, 0) };
}

async function eventDeadline(db: Database, eventId: number) {
  const [row] = await db.select({ deadline: event.accessRequestDeadline, territoryId: event.territoryId }).from(event).where(eq(event.id, eventId));
  return row ?? null;
}

/** « Début : mardi 6 octobre 2026 à 14 h 00 (avant : …) » from the { field: [before, after] } pairs of the events feature. */
function describeChanges(changes: unknown, zone: string): ChangeLine[] {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return [];
  const list = Object.entries(changes as Record<string, unknown>).map(([field, pair]) => {
    const [before, after] = Array.isArray(pair) && pair.length === 2 ? pair : [undefined, pair];
    return { field, before, after };
  });
  // Worded as the event's history words them (dates in the zone, accessibility by its labels).
  return changeLines(list, zone);
}

const notActive = (reg: RegistrationRow) => (reg.state === 'cancelled' ? 'inscription annulée entre-temps' : null);

const loaders: Record<MailKind, Loader> = {
  async registration_confirmed(ctx) {
    const r = await registrationMail(
      ctx,
      num(ctx.row.payload.registrationId),
      (reg, ev) => (ev.state === 'cancelled' ? 'événement annulé entre-temps' : reg.state !== 'confirmed' ? 'inscription plus confirmée' : null),
      'manage+feed',
    );
    if ('skip' in r) return r;
    // « Renvoyer le lien » queues this mail again with `resent`: same content, a word of explanation.
    const data = { ...r.data, resent: ctx.row.payload.resent === true };
    return { subject: `Inscription confirmée : ${r.cal.title}`, data, reason: REGISTRANT_REASON, invite: invite(ctx, r.cal, r.reg, 'REQUEST') };
  },

  async registration_waitlisted(ctx) {
    const r = await registrationMail(
      ctx,
      num(ctx.row.payload.registrationId),
      (reg, ev) => (ev.state === 'cancelled' ? 'événement annulé entre-temps' : reg.state !== 'waitlisted' ? "plus en liste d'attente" : null),
      'manage+feed',
    );
    if ('skip' in r) return r;
    return { subject: `Liste d'attente : ${r.cal.title}`, data: { ...r.data, resent: ctx.row.payload.resent === true }, reason: REGISTRANT_REASON };
  },

  async waitlist_promoted(ctx) {
    const r = await registrationMail(
      ctx,
      num(ctx.row.payload.registrationId),
      (reg, ev) => (ev.state === 'cancelled' ? 'événement annulé entre-temps' : reg.state !== 'confirmed' ? 'inscription plus confirmée' : null),
      'manage+feed',
    );
    if ('skip' in r) return r;
    return { subject: `Une place s'est libérée : ${r.cal.title}`, data: r.data, reason: REGISTRANT_REASON, invite: invite(ctx, r.cal, r.reg, 'REQUEST') };
  },

  async registration_cancelled(ctx) {
    const r = await registrationMail(ctx, num(ctx.row.payload.registrationId), (reg) => (reg.state !== 'cancelled' ? "l'inscription n'est pas annulée" : null));
    if ('skip' in r) return r;
    // Only a confirmed person was sent an invite: a waitlisted one has no calendar entry to remove.
    const withInvite = ctx.row.payload.wasConfirmed === true;
    return {
      subject: `Inscription annulée : ${r.cal.title}`,
      data: { ...r.data, withInvite },
      reason: REGISTRANT_REASON,
      ...(withInvite ? { invite: invite(ctx, r.cal, r.reg, 'CANCEL') } : {}),
    };
  },

  async reminder(ctx) {
    const r = await registrationMail(ctx, num(ctx.row.payload.registrationId), (reg, ev) =>
      reg.state !== 'confirmed'
        ? 'inscription plus confirmée'
        : ev.state !== 'published'
          ? 'événement plus publié'
          : ev.startsAt <= ctx.now
            ? 'événement déjà commencé'
            : null,
    );
    if ('skip' in r) return r;
    const days = num(ctx.row.payload.daysBefore);
    const needs = r.needs;
    const has = (category: AccessFeature) => needs.find((n) => n.category === category);
    const wheelchair = has('wheelchair');
    const lsf = has('lsf');
    const data = {
      ...r.data,
      daysBefore: days,
      // Tailored to what the person asked for: the way in for a wheelchair, the interpreter's presence.
      wheelchair: wheelchair ? { need: wheelchair } : null,
      lsfPlanned: lsf?.status === 'planned',
      otherNeeds: needs.filter((n) => n.category !== 'wheelchair' && !(n.category === 'lsf' && n.status === 'planned')),
    };
    const when = days === 1 ? 'demain' : days ? `dans ${days} jours` : 'bientôt';
    return { subject: `Rappel : ${r.cal.title}, ${when}`, data, reason: REGISTRANT_REASON };
  },

  async event_changed(ctx) {
    const r = await registrationMail(ctx, num(ctx.row.payload.registrationId), (reg, ev) =>
      notActive(reg) ?? (ev.state !== 'published' ? 'événement plus publié' : null),
    );
    if ('skip' in r) return r;
    const changes = ctx.row.payload.changes;
    const data = {
      ...r.data,
      changes: describeChanges(changes, r.cal.timeZone),
      waitlisted: r.reg.state === 'waitlisted',
      // Only withdrawals reach registrants as an accessibility change (events/service decides).
      accessibilityWithdrawn: !!changes && typeof changes === 'object' && 'accessibilityOffered' in changes,
    };
    return {
      subject: `Changement : ${r.cal.title}`,
      data,
      reason: REGISTRANT_REASON,
      ...(r.reg.state === 'confirmed' ? { invite: invite(ctx, r.cal, r.reg, 'REQUEST') } : {}),
    };
  },

  async event_cancelled(ctx) {
    const r = await registrationMail(ctx, num(ctx.row.payload.registrationId), () => null, 'none');
    if ('skip' in r) return r;
    const reason = str(ctx.row.payload.reason) ?? r.cal.cancellationReason ?? null;
    // Someone still on the waiting list never got an invite: nothing to remove from their calendar.
    const withInvite = r.reg.state === 'confirmed';
    return {
      subject: `Annulé : ${r.cal.title}`,
      data: { ...r.data, cancelReason: reason, withInvite },
      reason: REGISTRANT_REASON,
      ...(withInvite ? { invite: invite(ctx, r.cal, r.reg, 'CANCEL') } : {}),
    };
  },

  async access_need_answered(ctx) {
    const needId = num(ctx.row.payload.needId);
    if (needId === null) return { skip: 'contenu incomplet (besoin absent du message)' };
    const [need] = await ctx.db.select().from(accessNeed).where(eq(accessNeed.id, needId));
    if (!need) return { skip: 'besoin effacé' };
    if (need.status === 'requested') return { skip: 'réponse retirée entre-temps' };
    const r = await registrationMail(ctx, need.registrationId, (reg) => notActive(reg));
    if ('skip' in r) return r;
    // As just read, not as the batch read the registration's needs (it may have been answered since).
    const answered = emailNeed(need);
    const subject = need.status === 'planned' ? `Votre demande d'aménagement est prévue : ${r.cal.title}` : `Votre demande d'aménagement : ${r.cal.title}`;
    return { subject, data: { ...r.data, need: answered }, reason: REGISTRANT_REASON };
  },

  async organiser_needs_digest(ctx) {
    const eventId = num(ctx.row.payload.eventId);
    if (eventId === null) return { skip: 'contenu incomplet (événement absent du message)' };
    const cal = await ctx.batch.event(eventId);
    if (!cal || cal.state !== 'published') return { skip: 'événement plus publié' };
    const counts = await needCounts(ctx.db, eventId);
    if (counts.requested === 0) return { skip: 'plus aucun besoin en attente' };
    const deadline = await eventDeadline(ctx.db, eventId);
    return {
      subject: `Besoins d'accessibilité à préparer : ${cal.title}`,
      data: {
        event: emailEvent(cal),
        counts,
        deadline: deadline?.deadline ? formatDateTime(deadline.deadline, cal.timeZone) : null,
        answerUrl: `${ctx.config.publicUrl}/espace/evenements/${eventId}/inscriptions`,
      },
      reason: `Vous recevez ce message en tant que membre de ${cal.organiser.name} sur Rassembler.`,
    };
  },

  async coordinator_unmet_needs_alert(ctx) {
    const eventId = num(ctx.row.payload.eventId);
    if (eventId === null) return { skip: 'contenu incomplet (événement absent du message)' };
    const cal = await ctx.batch.event(eventId);
    if (!cal || cal.state !== 'published') return { skip: 'événement plus publié' };
    const counts = await needCounts(ctx.db, eventId);
    if (counts.requested === 0) return { skip: 'plus aucun besoin sans réponse' };
    const deadline = await eventDeadline(ctx.db, eventId);
    const [terr] = deadline ? await ctx.db.select({ name: territory.name }).from(territory).where(eq(territory.id, deadline.territoryId)) : [];
    return {
      subject: `Besoins d'accessibilité sans réponse : ${cal.title}`,
      data: {
        event: emailEvent(cal),
        counts,
        deadline: deadline?.deadline ? formatDateTime(deadline.deadline, cal.timeZone) : null,
        reviewUrl: `${ctx.config.publicUrl}/coordination/evenements/${eventId}`,
      },
      reason: `Vous recevez ce message en tant que coordinateur·rice de ${terr?.name ?? 'votre territoire'} sur Rassembler.`,
    };
  },

  async sign_in_link(ctx) {
    const url = str(ctx.row.payload.url);
    if (!url) return { skip: 'contenu incomplet (lien absent du message)' };
    const expiresAt = str(ctx.row.payload.expiresAt);
    // A link that has already expired is of no use: better no mail than a dead link.
    if (expiresAt && Date.parse(expiresAt) <= ctx.now.getTime()) return { skip: 'lien expiré avant envoi' };
    return {
      subject: 'Votre lien de connexion à Rassembler',
      data: { url, expiresAt: expiresAt ? formatDateTime(new Date(expiresAt), 'Europe/Paris') : null },
      reason: "Vous recevez ce message parce qu'une connexion à Rassembler a été demandée avec cette adresse. Si ce n'est pas vous, ignorez-le : rien ne se passera.",
    };
  },

  async invitation(ctx) {
    const url = str(ctx.row.payload.url);
    if (!url) return { skip: 'contenu incomplet (lien absent du message)' };
    const expiresAt = str(ctx.row.payload.expiresAt);
    if (expiresAt && Date.parse(expiresAt) <= ctx.now.getTime()) return { skip: 'invitation expirée avant envoi' };
    const organisationId = num(ctx.row.payload.organisationId);
    const territoryId = num(ctx.row.payload.territoryId);
    const inviterId = num(ctx.row.payload.invitedByUserId);
    let scope: { kind: 'organisation' | 'territory'; name: string } | null = null;
    if (organisationId !== null) {
      const [org] = await ctx.db.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, organisationId));
      if (org) scope = { kind: 'organisation', name: org.name };
    } else if (territoryId !== null) {
      const [terr] = await ctx.db.select({ name: territory.name }).from(territory).where(eq(territory.id, territoryId));
      if (terr) scope = { kind: 'territory', name: terr.name };
    }
    if (!scope) return { skip: 'organisation ou territoire effacé' };
    const [inviter] = inviterId !== null ? await ctx.db.select({ name: appUser.name, email: appUser.email }).from(appUser).where(eq(appUser.id, inviterId)) : [];
    const subject = scope.kind === 'organisation' ? `Invitation à rejoindre ${scope.name} sur Rassembler` : `Invitation à coordonner ${scope.name} sur Rassembler`;
    return {
      subject,
      data: { url, scope, inviter: inviter ? (inviter.name ?? inviter.email) : null, expiresAt: expiresAt ? formatDateTime(new Date(expiresAt), 'Europe/Paris') : null },
      reason: "Vous recevez ce message parce que quelqu'un vous a invité·e sur Rassembler. Si vous ne vous y attendiez pas, ignorez-le.",
    };
  },

  async moderation_decision(ctx) {
    const eventId = num(ctx.row.payload.eventId);
    if (eventId === null) return { skip: 'contenu incomplet (événement absent du message)' };
    const cal = await ctx.batch.event(eventId);
    if (!cal) return { skip: 'événement effacé' };
    const decision = str(ctx.row.payload.decision) ?? 'unknown';
    const subjects: Record<string, string> = {
      published: `Votre événement est publié : ${cal.title}`,
      changes_requested: `Modifications demandées : ${cal.title}`,
      refused: `Proposition non retenue : ${cal.title}`,
      cancelled: `Événement annulé : ${cal.title}`,
    };
    return {
      subject: subjects[decision] ?? `Votre proposition : ${cal.title}`,
      data: { event: emailEvent(cal), decision, message: str(ctx.row.payload.message), editUrl: `${ctx.config.publicUrl}/espace/evenements/${eventId}` },
      reason: `Vous recevez ce message en tant que membre ou contact de ${cal.organiser.name} sur Rassembler.`,
    };
  },
};

/** The mail an outbox row stands for, from current data, or why there is nothing to send. */
export async function renderMail(db: Database, config: Config, row: MailRow, now: Date, batch: RenderBatch = newRenderBatch(db, config)): Promise<RenderResult> {
  const prepared = await loaders[row.kind]({ db, config, row, now, batch });
  if ('skip' in prepared) return prepared;
  const data = { ...prepared.data, subject: prepared.subject, reason: prepared.reason, publicUrl: config.publicUrl };
  const [html, text] = await Promise.all([
    engine('html', config.viewCache).renderAsync(`/emails/${row.kind}.html.eta`, data),
    engine('text', config.viewCache).renderAsync(`/emails/${row.kind}.text.eta`, data),
  ]);
  return { subject: prepared.subject, html, text: tidyText(text), ...(prepared.invite ? { invite: prepared.invite } : {}) };
}

/** At most one blank line in a row, no trailing spaces: templates can stay readable. */
function tidyText(text: string): string {
  return `${text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
