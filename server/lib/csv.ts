// CSV for French spreadsheet software: UTF-8 with a BOM (so accents open right), `;` as separator
// (the comma is the French decimal mark), CRLF line ends, quotes where needed, and a guard against
// formula injection (OWASP: a cell starting with = + - @ tab or CR is prefixed with a quote so the
// spreadsheet shows it as text instead of running it).

const BOM = '\uFEFF';
const SEPARATOR = ';';

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  if (/[;"\r\n]/.test(text)) text = `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function toCsv(rows: Array<Array<string | number | null | undefined>>): string {
  return BOM + rows.map((row) => row.map(csvCell).join(SEPARATOR)).join('\r\n') + '\r\n';
}
