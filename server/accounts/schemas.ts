// Input validation for accounts, organisations and administration forms. Each parser takes the
// raw form body and returns either clean values or the errors to show (in the language of the
// moment, meant for people),
// along with the values as typed so the form can be shown again without losing anything.
import { DateTime, IANAZone } from 'luxon';
import { uniqueCommunes } from '../domain/communes.ts';
import { ORGANISATION_KINDS, type OrganisationKind } from '../domain/vocabulary.ts';
import type { FieldError } from '../plugins/views.ts';
import { t } from '../i18n/index.ts';
import { isEmailAddress } from '../lib/email-address.ts';
import { slugify } from '../lib/slug.ts';

export type FormBody = Record<string, unknown> | undefined | null;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** One form value, trimmed ('' when absent; the first one when a field is repeated). */
export function field(body: FormBody, name: string): string {
  const raw = body?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value.trim() : '';
}

/** The values as typed, to refill a form. */
export function typed(body: FormBody, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, field(body, name)]));
}

/** Email addresses are compared and stored lower-case (the unique index is on lower(email)). */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Checks an email field; returns the normalised address or pushes an error. `what`: « votre adresse e-mail » (accounts:validation.email.*)… */
function emailField(body: FormBody, name: string, errors: FieldError[], options: { required: boolean; what: string }): string | null {
  const value = field(body, name);
  if (value === '') {
    if (options.required) errors.push({ field: name, message: t('accounts:validation.email.required', { what: options.what }) });
    return null;
  }
  if (!isEmailAddress(value)) {
    const subject = options.what.charAt(0).toUpperCase() + options.what.slice(1);
    errors.push({ field: name, message: t('accounts:validation.email.invalid', { what: subject }) });
    return null;
  }
  return normaliseEmail(value);
}

// ——— Sign-in ———

export function parseEmailForm(body: FormBody, what = t('accounts:validation.email.yours')): Parsed<{ email: string }> {
  const errors: FieldError[] = [];
  const email = emailField(body, 'email', errors, { required: true, what });
  return errors.length > 0 || email === null ? { ok: false, errors } : { ok: true, value: { email } };
}

/**
 * Where to go after signing in: only a path on this site (`/…`, never `//host` or `/\host`, which
 * browsers read as another site), so that a crafted link cannot send someone elsewhere.
 */
export function safeReturnPath(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 500) return null;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return null;
  if (/[\u0000-\u001f\u007f]/.test(raw)) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw, 'http://site.invalid');
  } catch {
    return null;
  }
  if (parsed.origin !== 'http://site.invalid') return null;
  // Dot segments are resolved by the parse: « /.//evil.example » or « /%2e//evil.example » become
  // « //evil.example », which a browser reads as another host. Check the path as it will be sent.
  if (parsed.pathname.startsWith('//')) return null;
  // Back to the sign-in pages themselves would be a loop.
  if (/^\/(connexion|deconnexion)(\/|\?|$)/.test(parsed.pathname)) return null;
  return parsed.pathname + parsed.search;
}

// ——— Profile ———

export const NAME_MAX = 120;

export function parseProfileForm(body: FormBody): Parsed<{ name: string | null }> {
  const name = field(body, 'name');
  if (name.length > NAME_MAX) return { ok: false, errors: [{ field: 'name', message: t('accounts:validation.nameTooLong', { max: NAME_MAX }) }] };
  return { ok: true, value: { name: name === '' ? null : name } };
}

// ——— Organisations ———

export const ORGANISATION_FIELDS = ['name', 'kind', 'territoryId', 'contactEmail', 'contactPhone', 'website'] as const;

export interface OrganisationInput {
  name: string;
  kind: OrganisationKind;
  territoryId: number;
  contactEmail: string | null;
  contactPhone: string | null;
  website: string | null;
}

function isOrganisationKind(value: string): value is OrganisationKind {
  return (ORGANISATION_KINDS as readonly string[]).includes(value);
}

/** French and international numbers: digits with spaces, dots, dashes, brackets, a leading +. */
export function isPhone(value: string): boolean {
  if (!/^\+?[\d\s.\-()]+$/.test(value)) return false;
  const digits = value.replace(/\D/g, '').length;
  return digits >= 6 && digits <= 15;
}

/** A web address; « www.exemple.fr » is read as https://www.exemple.fr. */
export function parseWebsite(value: string): string | null {
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
  try {
    const url = new URL(candidate);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (!url.hostname.includes('.') || value.includes(' ')) return null;
    return url.toString();
  } catch {
    return null;
  }
}

/**
 * `territoryIds`: the territories one may choose. On edit the territory is fixed (events belong to
 * it), so `requireTerritory` is false and the field is ignored.
 */
export function parseOrganisationForm(
  body: FormBody,
  options: { territoryIds: number[]; requireTerritory: boolean },
): Parsed<OrganisationInput> {
  const errors: FieldError[] = [];
  const name = field(body, 'name');
  if (name === '') errors.push({ field: 'name', message: t('accounts:validation.organisation.nameRequired') });
  else if (name.length > 200) errors.push({ field: 'name', message: t('accounts:validation.organisation.nameTooLong', { max: 200 }) });

  const kind = field(body, 'kind');
  if (!isOrganisationKind(kind)) errors.push({ field: 'kind', message: t('accounts:validation.organisation.kindRequired') });

  let territoryId = 0;
  if (options.requireTerritory) {
    const raw = field(body, 'territoryId');
    territoryId = /^\d+$/.test(raw) ? Number(raw) : 0;
    if (!options.territoryIds.includes(territoryId)) errors.push({ field: 'territoryId', message: t('accounts:validation.organisation.territoryRequired') });
  }

  const contactEmail = emailField(body, 'contactEmail', errors, { required: false, what: t('accounts:validation.email.contact') });

  const phone = field(body, 'contactPhone');
  if (phone !== '' && !isPhone(phone)) errors.push({ field: 'contactPhone', message: t('accounts:validation.organisation.phoneInvalid') });

  const websiteRaw = field(body, 'website');
  const website = websiteRaw === '' ? null : parseWebsite(websiteRaw);
  if (websiteRaw !== '' && website === null) errors.push({ field: 'website', message: t('accounts:validation.organisation.websiteInvalid') });

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { name, kind: kind as OrganisationKind, territoryId, contactEmail, contactPhone: phone === '' ? null : phone, website },
  };
}

// ——— Territories ———

export const TERRITORY_FIELDS = ['name', 'slug', 'communes', 'timeZone'] as const;

export interface TerritoryInput {
  name: string;
  slug: string;
  communes: string[];
  timeZone: string;
}

/** Valid IANA zones only (Luxon, like every date in the app): « Europe/Paris », « Indian/Reunion »… */
export function isTimeZone(value: string): boolean {
  return value.includes('/') && IANAZone.isValidZone(value);
}

/** Zones of France and its overseas territories, offered as suggestions in the form. */
export const FRENCH_TIME_ZONES = [
  'Europe/Paris',
  'America/Guadeloupe',
  'America/Martinique',
  'America/Cayenne',
  'Indian/Reunion',
  'Indian/Mayotte',
  'America/Miquelon',
  'Pacific/Noumea',
  'Pacific/Tahiti',
  'Pacific/Wallis',
] as const;

export function parseTerritoryForm(body: FormBody): Parsed<TerritoryInput> {
  const errors: FieldError[] = [];
  const name = field(body, 'name');
  if (name === '') errors.push({ field: 'name', message: t('accounts:validation.territory.nameRequired') });
  else if (name.length > 200) errors.push({ field: 'name', message: t('accounts:validation.territory.nameTooLong', { max: 200 }) });

  const slugRaw = field(body, 'slug');
  const slug = slugRaw === '' ? slugify(name) : slugRaw;
  if (slugRaw !== '' && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slugRaw))
    errors.push({ field: 'slug', message: t('accounts:validation.territory.slugInvalid') });
  else if (slug.length > 60) errors.push({ field: 'slug', message: t('accounts:validation.territory.slugTooLong', { max: 60 }) });
  else if (slug === '' && name !== '') errors.push({ field: 'slug', message: t('accounts:validation.territory.slugRequired') });

  // One spelling per commune: « cayenne » after « Cayenne » is the same commune (domain/communes.ts).
  const communes = uniqueCommunes(
    field(body, 'communes')
      .split(/\r?\n/)
      .map((line) => line.trim().replace(/\s+/g, ' '))
      .filter((line) => line !== ''),
  );
  if (communes.length === 0) errors.push({ field: 'communes', message: t('accounts:validation.territory.communesRequired') });
  else if (communes.some((c) => c.length > 120)) errors.push({ field: 'communes', message: t('accounts:validation.territory.communeTooLong', { max: 120 }) });

  const timeZone = field(body, 'timeZone');
  if (timeZone === '') errors.push({ field: 'timeZone', message: t('accounts:validation.territory.timeZoneRequired') });
  else if (!isTimeZone(timeZone))
    errors.push({ field: 'timeZone', message: t('accounts:validation.territory.timeZoneUnknown', { zone: timeZone }) });

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { name, slug, communes, timeZone } };
}

// ——— Editions ———

export const EDITION_FIELDS = ['year', 'theme', 'firstDay', 'lastDay', 'proposalsOpen'] as const;

export interface EditionInput {
  year: number;
  theme: string;
  firstDay: string;
  lastDay: string;
  proposalsOpen: boolean;
}

/** « 2026-10-05 » (date input) or « 05/10/2026 » (typed by hand) → « 2026-10-05 », or null. */
export function parseDay(value: string): string | null {
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = french ? `${french[3]}-${french[2]!.padStart(2, '0')}-${french[1]!.padStart(2, '0')}` : value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  return DateTime.fromISO(iso, { zone: 'UTC' }).isValid ? iso : null;
}

export function parseEditionForm(body: FormBody): Parsed<EditionInput> {
  const errors: FieldError[] = [];
  const yearRaw = field(body, 'year');
  const year = /^\d{4}$/.test(yearRaw) ? Number(yearRaw) : NaN;
  if (yearRaw === '') errors.push({ field: 'year', message: t('accounts:validation.edition.yearRequired') });
  else if (!(year >= 2000 && year <= 2100)) errors.push({ field: 'year', message: t('accounts:validation.edition.yearInvalid') });

  const theme = field(body, 'theme');
  if (theme === '') errors.push({ field: 'theme', message: t('accounts:validation.edition.themeRequired') });
  else if (theme.length > 300) errors.push({ field: 'theme', message: t('accounts:validation.edition.themeTooLong', { max: 300 }) });

  const days: Record<'firstDay' | 'lastDay', string | null> = { firstDay: null, lastDay: null };
  for (const name of ['firstDay', 'lastDay'] as const) {
    const raw = field(body, name);
    if (raw === '') {
      errors.push({ field: name, message: t(`accounts:validation.edition.${name}Required`) });
      continue;
    }
    const day = parseDay(raw);
    if (day === null) errors.push({ field: name, message: t(`accounts:validation.edition.${name}Format`) });
    else if (!Number.isNaN(year) && Number(day.slice(0, 4)) !== year) errors.push({ field: name, message: t(`accounts:validation.edition.${name}Year`, { year }) });
    else days[name] = day;
  }
  if (days.firstDay && days.lastDay && days.lastDay < days.firstDay)
    errors.push({ field: 'lastDay', message: t('accounts:validation.edition.lastDayBeforeFirst') });

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { year, theme, firstDay: days.firstDay!, lastDay: days.lastDay!, proposalsOpen: field(body, 'proposalsOpen') === 'oui' },
  };
}
