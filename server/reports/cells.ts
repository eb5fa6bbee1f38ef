// A cell of a report table, and how it reads on a page and in a CSV file. Counts are plain numbers
// in CSV (a spreadsheet adds them up) and grouped by thousands on the page; shares are whole
// percents on the page (« 67 % ») and one decimal with a comma in CSV (csv.ts).
import { formatCalendarDay } from '../lib/time.ts';
import { SMALL_COUNT_LIMIT } from './suppression.ts';

export type Cell =
  | { kind: 'text'; text: string }
  | { kind: 'count'; count: number }
  /** A share from 0 to 1; null when there is nothing to divide (no seat offered…). */
  | { kind: 'share'; share: number | null }
  | { kind: 'day'; day: string; outsideEdition: boolean }
  | { kind: 'hidden'; why: 'small' | 'secondary' };

export const text = (value: string): Cell => ({ kind: 'text', text: value });
export const count = (value: number): Cell => ({ kind: 'count', count: value });
export const share = (part: number, whole: number): Cell => ({ kind: 'share', share: whole > 0 ? part / whole : null });
export const day = (isoDay: string, outsideEdition = false): Cell => ({ kind: 'day', day: isoDay, outsideEdition });
export const hidden = (why: 'small' | 'secondary'): Cell => ({ kind: 'hidden', why });

const HIDDEN_TEXT = { small: `< ${SMALL_COUNT_LIMIT}`, secondary: 'masqué' } as const;
const NOTHING = '—';
const grouped = new Intl.NumberFormat('fr-FR');

/** How the cell reads on a page. */
export function cellText(cell: Cell): string {
  switch (cell.kind) {
    case 'text':
      return cell.text;
    case 'count':
      return grouped.format(cell.count);
    case 'share':
      return cell.share === null ? NOTHING : `${Math.round(cell.share * 100)}\u00a0%`;
    case 'day':
      return `${formatCalendarDay(cell.day)}${cell.outsideEdition ? ' (hors édition)' : ''}`;
    case 'hidden':
      return HIDDEN_TEXT[cell.why];
  }
}

/** The cell's value in a CSV file; `percentSign`: a share among other values, written « 66,7 % ». */
export function csvValue(cell: Cell, options: { percentSign: boolean }): string | number {
  switch (cell.kind) {
    case 'count':
      return cell.count;
    case 'share': {
      if (cell.share === null) return '';
      const percent = (Math.round(cell.share * 1000) / 10).toFixed(1).replace('.', ',');
      return options.percentSign ? `${percent} %` : percent;
    }
    case 'day':
      return cell.day;
    default:
      return cellText(cell);
  }
}
