// Local days and times of the event form → instants in the territory's zone, with what the DST
// changes do to them: a time that does not exist, a time that exists twice (offered as choices).
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
  const t = normaliseTime(time);
  if (!d || !t) return [];
  const result = parseLocalDateTime(d, t, zone);
  if (result.ok || result.reason !== 'ambiguous' || !result.candidates) return [];
  const offsets = result.candidates.map((c) => toLocalParts(c, zone).offset);
  const summer = Math.max(...offsets);
  return result.candidates.map((c, i) => ({
    offset: offsets[i]!,
    label: `${spokenTime(c, zone)} heure ${offsets[i] === summer ? "d'été" : "d'hiver"} (${utcLabel(offsets[i]!)})`,
  }));
}

export /** A local date and time → an instant, with a French message for each way it can fail. */
function localInstant(
  errors: FieldError[],
  ids: { time: string; offset: string },
  day: string | null,
  time: string | null,
  offsetRaw: string,
  zone: string,
  what: 'début' | 'fin',
): Date | null {
  if (!day || !time) return null;
  const offset = /^-?\d+$/.test(offsetRaw) ? Number(offsetRaw) : undefined;
  const result = parseLocalDateTime(day, time, zone, offset);
  if (result.ok) return result.date;
  const when = `Le ${formatCalendarDay(day)} à ${time.replace(':', ' h ').replace(/^0(\d)/, '$1')}`;
  if (result.reason === 'nonexistent')
    errors.push({
      field: ids.time,
      message: `${when} n'existe pas : au passage à l'heure d'été, les horloges sautent une heure. Choisissez une autre heure de ${what}.`,
    });
  else if (result.reason === 'ambiguous')
    errors.push({
      field: ids.offset,
      message: `${when} existe deux fois : au passage à l'heure d'hiver, les horloges reviennent une heure en arrière. Choisissez l'heure de ${what} voulue.`,
    });
  else errors.push({ field: ids.time, message: `L'heure de ${what} n'est pas valide.` });
  return null;
}

export /** An optional calendar day, or an error saying how to write it. */
function optionalDay(errors: FieldError[], id: string, raw: string, label: string): string | null {
  if (!raw) return null;
  const day = normaliseDay(raw);
  if (!day) errors.push({ field: id, message: `${label} n'est pas une date valide : écrivez-la au format jj/mm/aaaa, par exemple 22/09/2026.` });
  return day;
}
