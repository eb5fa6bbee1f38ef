// Local days and times of the event form → instants in the territory's zone, with what the DST
// changes do to them: a time that does not exist, a time that exists twice (offered as choices).
import { t } from '../i18n/index.ts';
import { formatCalendarDay, formatTime, parseLocalDateTime, toLocalParts } from '../lib/time.ts';
import type { FieldError } from '../plugins/views.ts';
import { normaliseDay, normaliseTime } from './form-fields.ts';

export interface OffsetChoice {
  /** Minutes east of UTC. */
  offset: number;
  label: string;
}

function utcLabel(offset: number): string {
  const sign = offset < 0 ? '−' : '+';
  const abs = Math.abs(offset);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? ':' + String(abs % 60).padStart(2, '0') : ''}`;
}

/** « 2 h 30 » rather than « 02 h 30 »: read aloud, a leading zero is noise. */
const spokenTime = (date: Date, zone: string) => formatTime(date, zone).replace(/^0(\d)/, '$1');

/** The two readings of a time repeated by the autumn change, as radio choices. Empty when not repeated. */
export function offsetChoices(day: string, time: string, zone: string): OffsetChoice[] {
  const d = normaliseDay(day);
  const hm = normaliseTime(time);
  if (!d || !hm) return [];
  const result = parseLocalDateTime(d, hm, zone);
  if (result.ok || result.reason !== 'ambiguous' || !result.candidates) return [];
  const offsets = result.candidates.map((c) => toLocalParts(c, zone).offset);
  const summer = Math.max(...offsets);
  return result.candidates.map((c, i) => ({
    offset: offsets[i]!,
    label: offsets[i] === summer ? t('events:errors.summerTime', { time: spokenTime(c, zone), utc: utcLabel(offsets[i]!) }) : t('events:errors.winterTime', { time: spokenTime(c, zone), utc: utcLabel(offsets[i]!) }),
  }));
}

export /** A local date and time → an instant, with a message for each way it can fail. */
function localInstant(
  errors: FieldError[],
  ids: { time: string; offset: string },
  day: string | null,
  time: string | null,
  offsetRaw: string,
  zone: string,
  what: 'start' | 'end',
): Date | null {
  if (!day || !time) return null;
  const offset = /^-?\d+$/.test(offsetRaw) ? Number(offsetRaw) : undefined;
  const result = parseLocalDateTime(day, time, zone, offset);
  if (result.ok) return result.date;
  // « dimanche 29 mars 2026 à 2 h 30 »: the hour without its leading zero, as it is said.
  const [hour = '', minute = ''] = time.split(':');
  const when = t('common:time.dateAtTime', { day: formatCalendarDay(day), time: t('common:time.hourMinute', { hour: hour.replace(/^0(\d)/, '$1'), minute }) });
  const start = what === 'start';
  if (result.reason === 'nonexistent')
    errors.push({ field: ids.time, message: start ? t('events:errors.timeNonexistent', { when }) : t('events:errors.endTimeNonexistent', { when }) });
  else if (result.reason === 'ambiguous')
    errors.push({ field: ids.offset, message: start ? t('events:errors.timeAmbiguous', { when }) : t('events:errors.endTimeAmbiguous', { when }) });
  else errors.push({ field: ids.time, message: start ? t('events:errors.timeInvalid') : t('events:errors.endTimeInvalidShort') });
  return null;
}

export /** An optional calendar day, or an error saying how to write it. */
function optionalDay(errors: FieldError[], id: string, raw: string, label: string): string | null {
  if (!raw) return null;
  const day = normaliseDay(raw);
  if (!day) errors.push({ field: id, message: t('events:errors.dayInvalid', { label }) });
  return day;
}
