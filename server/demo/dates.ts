// When the demo edition runs and when each of its events takes place, opens and closes.
import { DateTime } from 'luxon';
import type { DemoEvent } from './data.ts';

/** The SISM are national; the end of the weeks is judged in metropolitan time. */
const NATIONAL_ZONE = 'Europe/Paris';
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/**
 * The SISM of the coming October: two weeks from the Monday of the ISO week containing
 * 10 October. Until the end of this year's last day (Paris time) that is this year's edition.
 */
export function demoEditionDates(now: Date): { year: number; firstDay: string; lastDay: string } {
  const forYear = (year: number) => {
    const tenth = DateTime.fromObject({ year, month: 10, day: 10 }, { zone: 'UTC' });
    const first = tenth.minus({ days: tenth.weekday - 1 });
    return { year, firstDay: first.toISODate()!, lastDay: first.plus({ days: 13 }).toISODate()! };
  };
  const current = forYear(DateTime.fromJSDate(now, { zone: NATIONAL_ZONE }).year);
  const end = DateTime.fromISO(current.lastDay, { zone: NATIONAL_ZONE }).plus({ days: 1 });
  return now.getTime() < end.toMillis() ? current : forYear(current.year + 1);
}

export interface Timing {
  startsAt: Date;
  endsAt: Date;
  registrationOpensAt: Date;
  registrationClosesAt: Date;
  accessRequestDeadline: Date;
}

/**
 * Start and end at a local wall time in the territory's zone (stored UTC). Registration opens on
 * 1 September — or today, if the demo is seeded earlier, so registering works in the demo —
 * closes the day before; access needs must be declared 14 days ahead when an LSF interpreter
 * may have to be booked (LSF offered, or a conference), 7 days otherwise.
 */
export function eventTiming(firstDay: string, day: number, start: string, minutes: number, zone: string, now: Date, needsInterpreter: boolean): Timing {
  const [hour, minute] = start.split(':').map(Number) as [number, number];
  const starts = DateTime.fromISO(firstDay, { zone }).plus({ days: day }).set({ hour, minute });
  const september = DateTime.fromObject({ year: starts.year, month: 9, day: 1, hour: 9 }, { zone });
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  return {
    startsAt: starts.toJSDate(),
    endsAt: starts.plus({ minutes }).toJSDate(),
    registrationOpensAt: (september < today ? september : today).toJSDate(),
    registrationClosesAt: starts.minus({ days: 1 }).toJSDate(),
    accessRequestDeadline: starts.minus({ days: needsInterpreter ? 14 : 7 }).toJSDate(),
  };
}

export function needsInterpreter(def: Pick<DemoEvent, 'access' | 'category'>): boolean {
  return def.access.includes('lsf') || def.category === 'conference';
}
