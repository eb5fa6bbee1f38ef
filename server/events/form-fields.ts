// Reading raw form fields for events and venues: strings trimmed, lists, days and times as people
// write them, texts with their length checked (a message per field, in the page's language).
import { t } from '../i18n/index.ts';
import type { FieldError } from '../plugins/views.ts';

export type Body = Record<string, unknown> | null | undefined;

export function str(body: Body, name: string): string {
  const value = body?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

export function list(body: Body, name: string): string[] {
  const value = body?.[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string');
}

/** « 2026-10-06 » or « 06/10/2026 » (a browser without a date picker) → « 2026-10-06 », else null. */
export function normaliseDay(raw: string): string | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  let y: string, mo: string, d: string;
  if (m) [, y, mo, d] = m as unknown as [string, string, string, string];
  else {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(raw);
    if (!m) return null;
    [, d, mo, y] = m as unknown as [string, string, string, string];
  }
  const iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : null;
}

/** « 14:30 », « 14h30 », « 14 h », « 9:05 » → « 14:30 » / « 09:05 », else null. */
export function normaliseTime(raw: string): string | null {
  const m = /^(\d{1,2})\s*[:hH]\s*(\d{2})?$/.exec(raw);
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2] ?? '0');
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

export function textField(errors: FieldError[], body: Body, id: string, options: { required?: string; max: number; label: string }): string {
  const value = str(body, id);
  if (!value && options.required) errors.push({ field: id, message: options.required });
  else if (value.length > options.max) errors.push({ field: id, message: t('events:errors.tooLong', { label: options.label, max: options.max, length: value.length }) });
  return value;
}

/** A message in a moderation form (ask for changes, refuse, cancel). */
export function messageField(body: Body, name: string): string {
  return str(body, name);
}

export function checkbox(body: Body, name: string): boolean {
  return str(body, name) !== '';
}
