// A report table as a CSV file for French spreadsheets (lib/csv.ts): its columns as the header, its
// rows, then its total row. A column of shares only is headed « (%) » and holds plain numbers (66,7);
// a share among counts is written with its sign (66,7 %).
import { toCsv } from '../lib/csv.ts';
import { csvValue } from './cells.ts';
import type { ReportTable } from './tables.ts';

export function tableCsv(table: ReportTable): string {
  const rows = table.total ? [...table.rows, table.total] : table.rows;
  const shares = table.columns.map((_, j) => {
    const kinds = new Set(rows.map((row) => row[j]!.kind).filter((kind) => kind !== 'hidden'));
    return kinds.size === 1 && kinds.has('share');
  });
  const header = table.columns.map((c, j) => (shares[j] ? `${c.label} (%)` : c.label));
  return toCsv([header, ...rows.map((row) => row.map((cell, j) => csvValue(cell, { percentSign: !shares[j] })))]);
}
