// What the registration pages show, shared by the resident routes and the organiser routes:
// view models built from service results, plus two small HTTP helpers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureOptions } from '../plugins/feature.ts';
import type { Config } from '../config.ts';
import { ACCESS_FEATURES, ACCESS_FEATURE_INFO } from '../domain/vocabulary.ts';
import { t } from '../i18n/index.ts';
import { emptyFormValues, MAX_NAME, type RegistrationFormValues } from './schemas.ts';
import { seatsSummary } from './capacity.ts';
import type { ManagedRegistration } from './manage.ts';
import { deadlinePassed, registrationWindow, type RegistrationEvent, type WindowState } from './registration-event.ts';
import { linksRecipient, manageUrl, recipientOf } from './links.ts';

/**
 * Status for a form shown again with errors: 422, except for an htmx request, which gets 200 so
 * that htmx 2 swaps the form with its error summary in place (it does not swap 4xx by default).
 */
export function formErrorStatus(request: FastifyRequest, status = 422): number {
  return request.isHtmxFragment ? 200 : status;
}

/** A form shown again with needs the person typed (health data) is never kept by a cache. */
export function noStoreIfNeeds(reply: FastifyReply, values: RegistrationFormValues): void {
  const typed = values.besoins.length > 0 || Object.values(values.precisions).some((detail) => detail.trim() !== '');
  if (typed) reply.header('Cache-Control', 'no-store');
}

/** Why the form is not shown, in the page's language. */
const WINDOW_MESSAGES: Record<Exclude<WindowState, 'open'>, () => string> = {
  not_published: () => t('registrations:window.not_published'),
  cancelled: () => t('registrations:window.cancelled'),
  not_yet_open: () => t('registrations:window.not_yet_open'),
  closed: () => t('registrations:window.closed'),
};

/** What the registration form needs, for the resident page and the organiser's phone form alike. */
export async function registrationFormView(
  db: FeatureOptions['db'],
  config: Config,
  ev: RegistrationEvent,
  now: Date,
  values: RegistrationFormValues,
  extra: { action: string; organiser: boolean; duplicateContact?: string | null },
) {
  const window = registrationWindow(ev, now);
  // An organiser may register someone before the opening or after the closing (not on a cancelled event).
  const blocked = window !== 'open' && !(extra.organiser && (window === 'not_yet_open' || window === 'closed'));
  return {
    event: ev,
    values,
    seats: await seatsSummary(db, ev),
    window,
    windowMessage: blocked ? WINDOW_MESSAGES[window as Exclude<WindowState, 'open'>]() : null,
    opensAt: ev.registrationOpensAt,
    features: ACCESS_FEATURES.map((category) => ({
      category,
      label: ACCESS_FEATURE_INFO[category].requestLabel,
      offered: ev.accessibilityOffered.includes(category),
    })),
    deadlinePassed: deadlinePassed(ev, now),
    retentionDays: config.needsRetentionDays,
    action: extra.action,
    organiser: extra.organiser,
    duplicateContact: extra.duplicateContact ?? null,
    // The browser stops typing where the server would refuse (the server still checks).
    maxName: MAX_NAME,
  };
}

/** The person's own .ics of the registration (same UID as the invites and the personal feed). */
function registrationIcsPath(token: string): string {
  return `/inscription/${token}/agenda.ics`;
}

/** Everything the result and manage pages show about one registration. */
export function registrationView(config: Config, r: ManagedRegistration, token: string, now: Date, extra: { needsDropped?: boolean } = {}) {
  const mailTo = recipientOf(r);
  return {
    registration: r,
    event: r.event,
    token,
    manageUrl: manageUrl(config, token),
    icsPath: registrationIcsPath(token),
    // The feed link goes only by mail, to the registration's address (see links.ts).
    feedByMail: 'to' in linksRecipient(r),
    needsDropped: extra.needsDropped === true,
    mailTo,
    deadlinePassed: deadlinePassed(r.event, now),
    hasUnofferedNeeds: r.needs.some((n) => !r.event.accessibilityOffered.includes(n.category)),
    window: registrationWindow(r.event, now),
    retentionDays: config.needsRetentionDays,
    features: ACCESS_FEATURES.map((category) => ({
      category,
      label: ACCESS_FEATURE_INFO[category].requestLabel,
      offered: r.event.accessibilityOffered.includes(category),
    })),
  };
}

/** The contact form filled with what is stored. */
export function storedContact(r: ManagedRegistration): RegistrationFormValues {
  return {
    ...emptyFormValues(),
    nom: r.name ?? '',
    email: r.email ?? '',
    telephone: r.phone ?? '',
    contactNom: r.contactName ?? '',
    contactEmail: r.contactEmail ?? '',
    contactTelephone: r.contactPhone ?? '',
  };
}
