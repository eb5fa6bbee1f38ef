// A cell of a report table, and how it reads on a page and in a CSV file. Counts are plain numbers
// in CSV (a spreadsheet adds them up) and grouped by thousands on the page; shares are whole
// percents on the page (« 67 % ») and one decimal in CSV (csv.ts), written for the language of the
// moment (« 66,7 » in French, « 66.7 » in English).
import { formatCalendarDay } from '../lib/time.ts';
import { currentLanguage, formatNumber, t } from '../i18n/index.ts';
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

const NOTHING = '—';

const hiddenText = (why: 'small' | 'secondary') => (why === 'small' ? `< ${SMALL_COUNT_LIMIT}` : t('reports:cell.hidden'));

const decimals = new Map<string, Intl.NumberFormat>();
/** « 66,7 » in French, « 66.7 » in English: one decimal, no grouping, as a spreadsheet reads it. */
function oneDecimal(value: number): string {
  const { locale } = currentLanguage();
  let format = decimals.get(locale);
  if (!format) decimals.set(locale, (format = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false })));
  return format.format(value);
}

/** How the cell reads on a page. */
export function cellText(cell: Cell): string {
  switch (cell.kind) {
    case 'text':
      return cell.text;
    case 'count':
      return formatNumber(cell.count);
    case 'share':
      return cell.share === null ? NOTHING : t('reports:cell.percent', { n: Math.round(cell.share * 100) });
    case 'day':
      return cell.outsideEdition ? t('reports:cell.outsideEdition', { day: formatCalendarDay(cell.day) }) : formatCalendarDay(cell.day);
    case 'hidden':
      return hiddenText(cell.why);
  }
}

/** The cell's value in a CSV file; `percentSign`: a share among other values, written « 66,7 % » (« 66.7% » in English). */
export function csvValue(cell: Cell, options: { percentSign: boolean }): string | number {
  switch (cell.kind) {
    case 'count':
      return cell.count;
    case 'share': {
      if (cell.share === null) return '';
      const percent = oneDecimal(Math.round(cell.share * 1000) / 10);
      return options.percentSign ? t('reports:csv.percent', { n: percent }) : percent;
    }
    case 'day':
      return cell.day;
    default:
      return cellText(cell);
  }
}
