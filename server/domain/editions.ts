// Which edition a day belongs to, and which edition is "now": pure rules shared by the public
// pages (programme), the coordination and the proposal form (events). Days are ISO calendar days
// (« 2026-10-06 »), compared as text. No database.

export interface EditionDays {
  year: number;
  firstDay: string;
  lastDay: string;
}

/** The edition running on `today`, else the nearest one to come, else the latest one. */
export function runningOrNext<E extends EditionDays>(editions: readonly E[], today: string): E | undefined {
  const coming = editions.filter((e) => e.lastDay >= today).sort((a, b) => a.firstDay.localeCompare(b.firstDay));
  return coming[0] ?? [...editions].sort((a, b) => b.year - a.year)[0];
}

/**
 * The edition an event on `day` belongs to, among `editions`: the one whose days contain it,
 * else the one of its year (an event a little before or after the weeks: the coordination then
 * has to accept its dates). Undefined when none is of that year.
 */
export function editionOfDay<E extends EditionDays>(editions: readonly E[], day: string): E | undefined {
  return editions.find((e) => e.firstDay <= day && day <= e.lastDay) ?? editions.find((e) => String(e.year) === day.slice(0, 4));
}
