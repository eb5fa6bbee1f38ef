// Input validation for the registration forms, with French messages meant for people. The field
// ids here are the ids of the inputs in views/registrations/_form.eta (the error summary links
// to them), so route, template and tests share one list.
import { t } from '../i18n/index.ts';
import { ACCESS_FEATURES, ACCESS_FEATURE_INFO, isAccessFeature, type AccessFeature } from '../domain/vocabulary.ts';
import type { accessNeed, registration } from '../db/schema.ts';
import { isEmailAddress } from '../lib/email-address.ts';
import type { FieldError } from '../plugins/views.ts';
import { toE164 } from './phone.ts';

export type FormBody = Record<string, string | string[] | undefined>;

export const MAX_SEATS = 10;
export const MAX_NAME = 120;
const MAX_DETAIL = 200;
const MAX_RESPONSE = 500;

/** A need as the person declares it: the access_need columns they fill in. */
export type NeedInput = Pick<typeof accessNeed.$inferSelect, 'category' | 'detail'>;

/** A registration as the form gives it: the registration columns a person fills in, and their needs. */
export type RegistrationInput = Pick<
  typeof registration.$inferSelect,
  'email' | 'phone' | 'seats' | 'onBehalf' | 'contactName' | 'contactEmail' | 'contactPhone'
> & {
  /** Required in the form (the column is emptied only by the identity purge). */
  name: string;
  needs: NeedInput[];
  /** The separate, explicit consent to store the needs (health data). */
  needsConsent: boolean;
  /** Agreed to receive texts at the phone given (the person's, or the helper's on their behalf). */
  smsConsent: boolean;
};

/** What the form shows again after an error (raw strings, as typed). */
export interface RegistrationFormValues {
  nom: string;
  email: string;
  telephone: string;
  places: string;
  pourUnTiers: boolean;
  contactNom: string;
  contactEmail: string;
  contactTelephone: string;
  besoins: string[];
  precisions: Partial<Record<AccessFeature, string>>;
  consentement: boolean;
  smsConsentement: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function emptyFormValues(): RegistrationFormValues {
  return {
    nom: '',
    email: '',
    telephone: '',
    places: '1',
    pourUnTiers: false,
    contactNom: '',
    contactEmail: '',
    contactTelephone: '',
    besoins: [],
    precisions: {},
    consentement: false,
    smsConsentement: false,
  };
}

/** First value of a field, trimmed ('' when absent). */
export function one(body: FormBody, name: string): string {
  const value = body[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
}

function many(body: FormBody, name: string): string[] {
  const value = body[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => v.trim()).filter((v) => v !== '');
}

const ticked = (body: FormBody, name: string) => one(body, name) !== '';

const phoneHint = () => t('registrations:validation.phoneHint');

export const detailFieldId = (category: AccessFeature) => `precision-${category}`;
export const needFieldId = (category: AccessFeature) => `besoin-${category}`;

export function formValues(body: FormBody): RegistrationFormValues {
  const precisions: Partial<Record<AccessFeature, string>> = {};
  for (const category of ACCESS_FEATURES) {
    const detail = one(body, detailFieldId(category));
    if (detail) precisions[category] = detail;
  }
  return {
    nom: one(body, 'nom'),
    email: one(body, 'email'),
    telephone: one(body, 'telephone'),
    places: one(body, 'places') || '1',
    pourUnTiers: ticked(body, 'pour-un-tiers'),
    contactNom: one(body, 'contact-nom'),
    contactEmail: one(body, 'contact-email'),
    contactTelephone: one(body, 'contact-telephone'),
    besoins: many(body, 'besoins'),
    precisions,
    consentement: ticked(body, 'consentement'),
    smsConsentement: ticked(body, 'sms-consentement'),
  };
}

/** Whole number of seats, 1 to MAX_SEATS. */
export function parseSeats(raw: string, errors: FieldError[], field = 'places'): number {
  if (!/^\d{1,3}$/.test(raw)) {
    errors.push({ field, message: t('registrations:validation.seatsDigits', { max: MAX_SEATS }) });
    return 1;
  }
  const seats = Number(raw);
  if (seats < 1 || seats > MAX_SEATS) {
    errors.push({
      field,
      message: t('registrations:validation.seatsRange', { max: MAX_SEATS }),
    });
  }
  return seats;
}

/**
 * What to do with needs ticked without the consent box: 'error' tells the person both ways out
 * (tick the consent, or go on without needs: the form then has a second button, `sans-besoins`);
 * 'drop' goes on without the needs and says so (`needsDropped`).
 */
export type NeedsWithoutConsent = 'error' | 'drop';

/** The access needs part (shared by the registration forms and the manage page). */
export function parseNeeds(
  body: FormBody,
  errors: FieldError[],
  withoutConsent: NeedsWithoutConsent = 'error',
): { needs: NeedInput[]; consent: boolean; needsDropped: boolean } {
  const withoutNeeds = ticked(body, 'sans-besoins');
  const consent = ticked(body, 'consentement');
  const chosen = new Set<AccessFeature>();
  for (const raw of many(body, 'besoins')) {
    if (!isAccessFeature(raw)) {
      errors.push({ field: needFieldId(ACCESS_FEATURES[0]), message: t('registrations:validation.unknownNeed') });
      continue;
    }
    chosen.add(raw);
  }
  if (withoutNeeds) return { needs: [], consent: false, needsDropped: false };

  const needs: NeedInput[] = [];
  for (const category of ACCESS_FEATURES) {
    const detail = one(body, detailFieldId(category));
    const label = ACCESS_FEATURE_INFO[category].requestLabel;
    if (detail.length > MAX_DETAIL) errors.push({ field: detailFieldId(category), message: t('registrations:validation.detailTooLong', { label, max: MAX_DETAIL }) });
    if (!chosen.has(category)) {
      if (detail) errors.push({ field: detailFieldId(category), message: t('registrations:validation.detailUnticked', { label }) });
      continue;
    }
    if (category === 'other' && !detail) errors.push({ field: detailFieldId(category), message: t('registrations:validation.otherNeed') });
    needs.push({ category, detail: detail || null });
  }
  if (needs.length > 0 && !consent && withoutConsent === 'drop') return { needs: [], consent: false, needsDropped: true };
  if (needs.length > 0 && !consent) {
    errors.push({
      field: 'consentement',
      message: t('registrations:validation.needsConsent'),
    });
  }
  return { needs, consent: consent && needs.length > 0, needsDropped: false };
}

/** The contact details a person may correct on their page (not whether they were registered by a helper). */
export type ContactInput = Pick<RegistrationInput, 'name' | 'email' | 'phone' | 'contactName' | 'contactEmail' | 'contactPhone'>;

function contactValue(v: RegistrationFormValues, onBehalf: boolean): ContactInput {
  return {
    name: v.nom,
    email: v.email || null,
    // Stored in E.164 (checkContact refused any number toE164 cannot read).
    phone: v.telephone ? toE164(v.telephone) : null,
    contactName: onBehalf ? v.contactNom : null,
    contactEmail: onBehalf ? v.contactEmail || null : null,
    contactPhone: onBehalf && v.contactTelephone ? toE164(v.contactTelephone) : null,
  };
}

/**
 * Who comes and how they are reached, as typed: the registration form and the manage page's
 * « Corriger mes coordonnées » check them alike. `onBehalf`: the helper's fields are asked too.
 */
function checkContact(v: RegistrationFormValues, onBehalf: boolean, errors: FieldError[]): void {
  if (!v.nom) errors.push({ field: 'nom', message: t('registrations:validation.name') });
  else if (v.nom.length > MAX_NAME) errors.push({ field: 'nom', message: t('registrations:validation.nameTooLong', { max: MAX_NAME }) });

  if (v.email && !isEmailAddress(v.email)) errors.push({ field: 'email', message: t('registrations:validation.email') });
  const phone = v.telephone ? toE164(v.telephone) : null;
  if (v.telephone && !phone) errors.push({ field: 'telephone', message: t('registrations:validation.phone', { hint: phoneHint() }) });
  const contactPhone = onBehalf && v.contactTelephone ? toE164(v.contactTelephone) : null;

  if (onBehalf) {
    if (!v.contactNom) errors.push({ field: 'contact-nom', message: t('registrations:validation.contactName') });
    else if (v.contactNom.length > MAX_NAME) errors.push({ field: 'contact-nom', message: t('registrations:validation.contactNameTooLong', { max: MAX_NAME }) });
    if (v.contactEmail && !isEmailAddress(v.contactEmail)) errors.push({ field: 'contact-email', message: t('registrations:validation.contactEmail') });
    if (v.contactTelephone && !contactPhone) errors.push({ field: 'contact-telephone', message: t('registrations:validation.contactPhone', { hint: phoneHint() }) });
    // The helper is the one the organiser reaches: the person may have neither email nor phone.
    if (!v.contactEmail && !v.contactTelephone)
      errors.push({ field: 'contact-email', message: t('registrations:validation.contactMissing') });
  } else if (!v.email && !v.telephone) {
    errors.push({ field: 'email', message: t('registrations:validation.reachMissing') });
  }
}

/**
 * The registration form. A resident who ticks needs without the consent is registered without
 * them (issue 4: no needs stored without consent, and the result page says so instead of the form
 * failing); on the organiser's phone form it is an error, so the organiser can ask the person.
 */
export function parseRegistration(body: FormBody, withoutConsent: NeedsWithoutConsent): Parsed<RegistrationInput & { needsDropped: boolean }> {
  const errors: FieldError[] = [];
  const v = formValues(body);
  checkContact(v, v.pourUnTiers, errors);

  // Texts go to the phone of whoever fills the form: the helper's when registering someone else.
  const textPhone = v.pourUnTiers ? v.contactTelephone : v.telephone;
  if (v.smsConsentement && !textPhone)
    errors.push({
      field: 'sms-consentement',
      message: v.pourUnTiers
        ? t('registrations:validation.smsWithoutOwnPhone')
        : t('registrations:validation.smsWithoutPhone'),
    });

  const seats = parseSeats(v.places, errors);
  const { needs, consent, needsDropped } = parseNeeds(body, errors, withoutConsent);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...contactValue(v, v.pourUnTiers),
      seats,
      onBehalf: v.pourUnTiers,
      needs,
      needsConsent: consent,
      smsConsent: v.smsConsentement,
      needsDropped,
    },
  };
}


export function parseContactChange(body: FormBody, onBehalf: boolean): Parsed<ContactInput> {
  const errors: FieldError[] = [];
  const v = formValues(body);
  checkContact(v, onBehalf, errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: contactValue(v, onBehalf) };
}

export function parseNeedsChange(body: FormBody): Parsed<{ needs: NeedInput[]; consent: boolean }> {
  const errors: FieldError[] = [];
  const { needs, consent } = parseNeeds(body, errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { needs, consent } };
}

export function parseSeatsChange(body: FormBody): Parsed<number> {
  const errors: FieldError[] = [];
  const seats = parseSeats(one(body, 'places'), errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: seats };
}

/** The « Je confirme » box of destructive actions (cancel, erase). */
export function parseConfirmation(body: FormBody, field: string, message: string): Parsed<true> {
  return ticked(body, 'confirmer') ? { ok: true, value: true } : { ok: false, errors: [{ field, message }] };
}

/** « Recevoir à nouveau mon lien »: an e-mail address or a phone number, in one field. */
export function parseResend(body: FormBody): Parsed<{ email: string } | { phone: string }> {
  const given = one(body, 'contact') || one(body, 'email');
  if (isEmailAddress(given)) return { ok: true, value: { email: given } };
  const phone = toE164(given);
  if (phone) return { ok: true, value: { phone } };
  const message = given
    ? t('registrations:validation.resendInvalid', { hint: phoneHint() })
    : t('registrations:validation.resendMissing');
  return { ok: false, errors: [{ field: 'renvoi-contact', message }] };
}

export interface NeedAnswer {
  status: 'planned' | 'not_possible';
  response: string | null;
}

export const answerFieldId = (needId: number) => `reponse-${needId}`;
export const statusFieldId = (needId: number) => `statut-${needId}`;

/** The organiser's answer to one need: `planned` (message optional) or `not_possible` (message required). */
export function parseNeedAnswer(body: FormBody, needId: number): Parsed<NeedAnswer> {
  const errors: FieldError[] = [];
  const status = one(body, 'statut');
  const response = one(body, 'reponse');
  if (status !== 'planned' && status !== 'not_possible')
    errors.push({ field: statusFieldId(needId), message: t('registrations:validation.answerStatus') });
  if (status === 'not_possible' && !response)
    errors.push({ field: answerFieldId(needId), message: t('registrations:validation.answerWhy') });
  if (response.length > MAX_RESPONSE) errors.push({ field: answerFieldId(needId), message: t('registrations:validation.answerTooLong', { max: MAX_RESPONSE }) });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { status: status as NeedAnswer['status'], response: response || null } };
}

/** An organiser's message to the registrants: a subject as a mail has, a text that still reads as a text. */
export const MESSAGE_SUBJECT_MAX = 120;
export const MESSAGE_BODY_MAX = 2000;

export function parseMessage(body: FormBody): Parsed<{ subject: string; body: string }> {
  const errors: FieldError[] = [];
  const subject = one(body, 'objet').replace(/\s+/g, ' ');
  const text = one(body, 'message').replace(/\r\n?/g, '\n');
  if (!subject) errors.push({ field: 'objet', message: t('registrations:validation.messageSubject') });
  else if ([...subject].length > MESSAGE_SUBJECT_MAX) errors.push({ field: 'objet', message: t('registrations:validation.messageSubjectTooLong', { max: MESSAGE_SUBJECT_MAX }) });
  if (!text) errors.push({ field: 'message', message: t('registrations:validation.messageBody') });
  else if ([...text].length > MESSAGE_BODY_MAX) errors.push({ field: 'message', message: t('registrations:validation.messageBodyTooLong', { length: [...text].length }) });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { subject, body: text } };
}
