// The mails a registrant gets (confirmation, waiting list, a seat freed, seats free but too few for
// the group, cancellation, reminder,
// the event changed or cancelled, the answer to an access need), rendered from current data at
// send time with their templates in views/registrations/emails/.
import { eq } from 'drizzle-orm';
import { accessNeed } from '../db/schema.ts';
import type { AccessFeature } from '../domain/vocabulary.ts';
import { type CalendarEvent, buildInvite, type Invite, personalFeedUrls } from '../calendar/index.ts';
import { emailEvent, changeLines, type ChangeLine } from '../events/index.ts';
import { formatNumber, localPath, t } from '../i18n/index.ts';
import { calendarDaysBetween } from '../lib/time.ts';
import { mailKindGroup, payloadInt, payloadText, type MailContext, type Skip } from '../mail/index.ts';
import { freeSeats } from './capacity.ts';
import { inCurrentLanguage, linksRecipient, manageUrl } from './links.ts';
import { emailNeed, registrationMailBatch, type EmailNeed, type RegistrationMailBatch, type RegistrationRow } from './mails-batch.ts';
import { eventBits, fitSms, whose } from './sms-texts.ts';

export type Ctx = MailContext<RegistrationMailBatch>;

/** Who reads the mail: the person, or the helper who registered them (on their behalf). */
function reader(reg: RegistrationRow, recipient: string) {
  const toHelper = reg.onBehalf && reg.contactEmail !== null && reg.contactEmail.toLowerCase() === recipient.toLowerCase() && reg.email?.toLowerCase() !== recipient.toLowerCase();
  const person = reg.name ?? t('registrantMails:reader.thePerson');
  return {
    greetName: (toHelper ? reg.contactName : reg.name) ?? null,
    /** « votre inscription » or « l'inscription de Marie Dupont », and capitalised. */
    theRegistration: toHelper ? t('registrantMails:reader.theirs', { name: person }) : t('registrantMails:reader.yours'),
    TheRegistration: toHelper ? t('registrantMails:reader.Theirs', { name: person }) : t('registrantMails:reader.Yours'),
    /** Set when the reader is not the person who comes. */
    forPerson: toHelper ? reg.name : null,
    seats: reg.seats,
    waitlistPosition: reg.waitlistPosition,
  };
}

const ERASED = 'inscription effacée';

/** Why a registrant gets a mail (its footer), in the mail's language. */
export const registrantReason = () => t('registrantMails:reason.registrant');

/**
 * Which of the person's links a mail carries. Each rendered mail mints its own tokens. The feed
 * link only goes to the registration's own address: holding it proves access to that mailbox, and
 * the feed lists every registration made with the address.
 */
export type Links = 'none' | 'manage' | 'manage+feed';

/** The common part of every mail about one registration. */
export async function registrationMail(
  ctx: Ctx,
  registrationId: number | null,
  accept: (reg: RegistrationRow, ev: CalendarEvent) => string | null,
  links: Links = 'manage',
): Promise<{ reg: RegistrationRow; needs: EmailNeed[]; cal: CalendarEvent; data: Record<string, unknown> } | Skip> {
  if (registrationId === null) return { skip: 'contenu incomplet (inscription absente du message)' };
  const found = await ctx.shared.registration(registrationId);
  if (!found) return { skip: ERASED };
  const cal = await ctx.shared.event(found.reg.eventId);
  if (!cal) return { skip: 'événement effacé' };
  const refused = accept(found.reg, cal);
  if (refused) return { skip: refused };
  const { reg } = found;
  // The feed link only to the registration's own address (see linksRecipient).
  const own = linksRecipient(reg);
  const withFeed = links === 'manage+feed' && 'to' in own && own.to.toLowerCase() === ctx.row.recipient.toLowerCase();
  // Asked for together, so both go in the same statement.
  const [manage, feed] = await Promise.all([links === 'none' ? null : ctx.shared.mint(reg.id, 'manage', ctx.now), withFeed ? ctx.shared.mint(reg.id, 'feed', ctx.now) : null]);
  // Erased since it was read: a link that opens nothing is no use.
  if ((links !== 'none' && manage === null) || (withFeed && feed === null)) return { skip: ERASED };
  return {
    ...found,
    cal,
    data: {
      event: emailEvent(cal, ctx.config),
      reader: reader(reg, ctx.row.recipient),
      needs: found.needs,
      manageUrl: manage === null ? null : manageUrl(ctx.config, manage),
      personalFeed: feed === null ? null : localFeedUrls(ctx, feed),
    },
  };
}



/** The personal feed's addresses, the feed in the mail's language. */
function localFeedUrls(ctx: Ctx, token: string) {
  const https = inCurrentLanguage(ctx.config, personalFeedUrls(ctx.config, token).https);
  return { https, webcal: https.replace(/^https?:/, 'webcal:') };
}

export function invite(ctx: Ctx, cal: CalendarEvent, reg: RegistrationRow, method: 'REQUEST' | 'CANCEL'): Invite {
  return buildInvite(ctx.config, cal, { registrationId: reg.id, inviteSequence: reg.inviteSequence, email: ctx.row.recipient, name: reg.name }, method, ctx.now);
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

/** Needs ticked without consent were left out, and none were added since (then the mail would be wrong). */
const needsDropped = (ctx: Ctx, needs: EmailNeed[]) => ctx.row.payload.needsDropped === true && needs.length === 0;
// The text says it too: a phone-only person must not count on an interpreter nobody was asked for.
const droppedNeedsSms = (dropped: boolean) => (dropped ? t('registrantMails:sms.needsDropped') : '');

/**
 * The confirmation sent again (`resent`): because the person asked, or because someone registered
 * again with the same address or phone (`secondRegistration`, decision 0014), which the mail
 * explains: nothing changed, and this link is the way to add seats or needs.
 */
/**
 * The confirmation or the waiting-list mail of a registration still in `state`: its data, and its
 * text — the « second registration » text when a new request brought it again, else `text`.
 */
async function stateMail(
  ctx: Ctx,
  state: 'confirmed' | 'waitlisted',
  notAnyMore: string,
  text: (reg: RegistrationRow, title: string, when: string, manageUrl: string, resent: boolean) => string,
) {
  const r = await registrationMail(
    ctx,
    payloadInt(ctx.row.payload.registrationId),
    (reg, ev) => (ev.state === 'cancelled' ? 'événement annulé entre-temps' : reg.state !== state ? notAnyMore : null),
    'manage+feed',
  );
  if ('skip' in r) return r;
  // « Renvoyer le lien » queues this mail again with `resent`: same content, a word of explanation.
  const data = { ...r.data, ...resentData(ctx), needsDropped: needsDropped(ctx, r.needs) };
  const { when } = eventBits(r.cal);
  const sms = fitSms(
    (title) =>
      (data.secondRegistration ? secondRegistrationSms(r.reg, title, when, String(r.data.manageUrl)) : text(r.reg, title, when, String(r.data.manageUrl), Boolean(data.resent))) +
      droppedNeedsSms(data.needsDropped),
    r.cal.title,
  );
  return { ...r, data, sms };
}

function resentData(ctx: Ctx) {
  const secondRegistration = ctx.row.payload.secondRegistration === true;
  return { resent: ctx.row.payload.resent === true, secondRegistration };
}

const secondRegistrationSms = (reg: RegistrationRow, title: string, when: string, url: string) =>
  t('registrantMails:sms.secondRegistration', { registration: whose(reg), title, when, url });

export const notActive = (reg: RegistrationRow) => (reg.state === 'cancelled' ? 'inscription annulée entre-temps' : null);

export const registrantMailKinds = mailKindGroup('registrations/emails', registrationMailBatch, {
  registration_confirmed: {
    label: "Confirmation d'inscription",
    async prepare(ctx) {
      const r = await stateMail(ctx, 'confirmed', 'inscription plus confirmée', (reg, title, when, url, resent) =>
        resent ? t('registrantMails:sms.resent', { registration: whose(reg), title, when, url }) : t('registrantMails:sms.confirmed', { registration: whose(reg), title, when, url }),
      );
      if ('skip' in r) return r;
      const { data, sms } = r;
      return { subject: t('registrantMails:subject.confirmed', { title: r.cal.title }), data, reason: registrantReason(), invite: invite(ctx, r.cal, r.reg, 'REQUEST'), sms };
    },
  },

  registration_waitlisted: {
    label: "Liste d'attente",
    async prepare(ctx) {
      const r = await stateMail(ctx, 'waitlisted', "plus en liste d'attente", (reg, title, when, url) =>
        t('registrantMails:sms.waitlisted', { registration: whose(reg), title, when, position: reg.waitlistPosition, url }),
      );
      if ('skip' in r) return r;
      const { data, sms } = r;
      return { subject: t('registrantMails:subject.waitlisted', { title: r.cal.title }), data, reason: registrantReason(), sms };
    },
  },

  waitlist_promoted: {
    label: "Place libérée (liste d'attente)",
    async prepare(ctx) {
      const r = await registrationMail(
        ctx,
        payloadInt(ctx.row.payload.registrationId),
        (reg, ev) => (ev.state === 'cancelled' ? 'événement annulé entre-temps' : reg.state !== 'confirmed' ? 'inscription plus confirmée' : null),
        'manage+feed',
      );
      if ('skip' in r) return r;
      const { when } = eventBits(r.cal);
      const sms = fitSms((title) => t('registrantMails:sms.promoted', { registration: whose(r.reg), title, when, url: String(r.data.manageUrl) }), r.cal.title);
      return { subject: t('registrantMails:subject.promoted', { title: r.cal.title }), data: r.data, reason: registrantReason(), invite: invite(ctx, r.cal, r.reg, 'REQUEST'), sms };
    },
  },

  waitlist_passed_over: {
    label: "Places libres, groupe trop grand (liste d'attente)",
    async prepare(ctx) {
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), (reg, ev) =>
        ev.state === 'cancelled' ? 'événement annulé entre-temps' : reg.state !== 'waitlisted' ? "plus en liste d'attente" : null,
      );
      if ('skip' in r) return r;
      // As things stand now: the seats may have been taken, or the group made smaller, since.
      const free = await freeSeats(ctx.db, r.reg.eventId);
      if (free === null || free === 0) return { skip: 'plus de place libre' };
      return {
        subject: t('registrantMails:subject.passedOver', { count: free, n: formatNumber(free), seats: formatNumber(r.reg.seats), title: r.cal.title }),
        data: { ...r.data, freeSeats: free },
        reason: registrantReason(),
        sms: fitSms(
          (title) => t('registrantMails:sms.passedOver', { count: free, n: formatNumber(free), title, seats: formatNumber(r.reg.seats), url: String(r.data.manageUrl) }),
          r.cal.title,
        ),
      };
    },
  },

  registration_cancelled: {
    label: "Annulation d'inscription",
    async prepare(ctx) {
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), (reg) => (reg.state !== 'cancelled' ? "l'inscription n'est pas annulée" : null));
      if ('skip' in r) return r;
      // Only a confirmed person was sent an invite: a waitlisted one has no calendar entry to remove.
      const withInvite = ctx.row.payload.wasConfirmed === true;
      const { when } = eventBits(r.cal);
      return {
        subject: t('registrantMails:subject.cancelled', { title: r.cal.title }),
        data: { ...r.data, withInvite },
        reason: registrantReason(),
        sms: fitSms((title) => t('registrantMails:sms.cancelled', { registration: whose(r.reg), title, when, url: String(r.data.manageUrl) }), r.cal.title),
        ...(withInvite ? { invite: invite(ctx, r.cal, r.reg, 'CANCEL') } : {}),
      };
    },
  },

  reminder: {
    label: 'Rappel',
    async prepare(ctx) {
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), (reg, ev) =>
        reg.state !== 'confirmed'
          ? 'inscription plus confirmée'
          : ev.state !== 'published'
            ? 'événement plus publié'
            : ev.startsAt <= ctx.now
              ? 'événement déjà commencé'
              : null,
      );
      if ('skip' in r) return r;
      // Counted when the mail goes, not when it was queued: a reminder sent late (a worker down
      // for days) says « demain », not « dans 7 jours ».
      const days = calendarDaysBetween(ctx.now, r.cal.startsAt, r.cal.timeZone);
      const when = days <= 0 ? t('registrantMails:when.today') : days === 1 ? t('registrantMails:when.tomorrow') : t('registrantMails:when.inDays', { n: formatNumber(days) });
      const needs = r.needs;
      const has = (category: AccessFeature) => needs.find((n) => n.category === category);
      const wheelchair = has('wheelchair');
      const lsf = has('lsf');
      const data = {
        ...r.data,
        when,
        // Tailored to what the person asked for: the way in for a wheelchair, the interpreter's presence.
        wheelchair: wheelchair ? { need: wheelchair } : null,
        lsfPlanned: lsf?.status === 'planned',
        otherNeeds: needs.filter((n) => n.category !== 'wheelchair' && !(n.category === 'lsf' && n.status === 'planned')),
      };
      const bits = eventBits(r.cal);
      const sms = fitSms((title) => t('registrantMails:sms.reminder', { title, when: bits.when, where: bits.where ? `, ${bits.where}` : '', url: String(r.data.manageUrl) }), r.cal.title);
      return { subject: t('registrantMails:subject.reminder', { title: r.cal.title, when }), data, reason: registrantReason(), sms };
    },
  },

  event_changed: {
    label: "Changement d'événement",
    async prepare(ctx) {
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), (reg, ev) =>
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
      const bits = eventBits(r.cal);
      return {
        subject: t('registrantMails:subject.eventChanged', { title: r.cal.title }),
        data,
        reason: registrantReason(),
        sms: fitSms((title) => t('registrantMails:sms.eventChanged', { title, when: bits.when, where: bits.where ? `, ${bits.where}` : '', url: String(r.data.manageUrl) }), r.cal.title),
        ...(r.reg.state === 'confirmed' ? { invite: invite(ctx, r.cal, r.reg, 'REQUEST') } : {}),
      };
    },
  },

  event_cancelled: {
    label: "Annulation d'événement",
    async prepare(ctx) {
      const r = await registrationMail(ctx, payloadInt(ctx.row.payload.registrationId), () => null, 'none');
      if ('skip' in r) return r;
      const reason = payloadText(ctx.row.payload.reason) ?? r.cal.cancellationReason ?? null;
      // Someone still on the waiting list never got an invite: nothing to remove from their calendar.
      const withInvite = r.reg.state === 'confirmed';
      const { when } = eventBits(r.cal);
      return {
        subject: t('registrantMails:subject.eventCancelled', { title: r.cal.title }),
        data: { ...r.data, cancelReason: reason, withInvite, programmeUrl: `${ctx.config.publicUrl}${localPath('/programme')}` },
        reason: registrantReason(),
        sms: fitSms((title) => t('registrantMails:sms.eventCancelled', { title, when, reason: reason ? ` ${reason}` : '' }), r.cal.title),
        ...(withInvite ? { invite: invite(ctx, r.cal, r.reg, 'CANCEL') } : {}),
      };
    },
  },

  access_need_answered: {
    label: "Réponse à un besoin d'accessibilité",
    async prepare(ctx) {
      const needId = payloadInt(ctx.row.payload.needId);
      if (needId === null) return { skip: 'contenu incomplet (besoin absent du message)' };
      const [need] = await ctx.db.select().from(accessNeed).where(eq(accessNeed.id, needId));
      if (!need) return { skip: 'besoin effacé' };
      if (need.status === 'requested') return { skip: 'réponse retirée entre-temps' };
      const r = await registrationMail(ctx, need.registrationId, (reg) => notActive(reg));
      if ('skip' in r) return r;
      // As just read, not as the batch read the registration's needs (it may have been answered since).
      const answered = emailNeed(need);
      const subject = need.status === 'planned' ? t('registrantMails:subject.needPlanned', { title: r.cal.title }) : t('registrantMails:subject.needAnswered', { title: r.cal.title });
      const sms = fitSms((title) => t('registrantMails:sms.needAnswered', { need: answered.label, title, status: answered.statusText, url: String(r.data.manageUrl) }), r.cal.title);
      return { subject, data: { ...r.data, need: answered }, reason: registrantReason(), sms };
    },
  },
});
