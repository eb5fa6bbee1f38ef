// The attendee list as CSV for French spreadsheet software: UTF-8 with a BOM (so accents open
// right), `;` as separator (the comma is the French decimal mark), CRLF line ends, quotes where
// needed, and a guard against formula injection (OWASP: a cell starting with = + - @ tab or CR
// is prefixed with a quote so the spreadsheet shows it as text instead of running it).
import { ACCESS_FEATURE_INFO, NEED_STATUS_LABELS, REGISTRATION_STATE_LABELS } from '../domain/vocabulary.ts';
import { formatDateTime } from '../lib/time.ts';
import type { OrganiserRegistration, RegistrationLists } from './organiser.ts';

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

function needsText(r: OrganiserRegistration): string {
  return r.needs
    .map((n) => `${ACCESS_FEATURE_INFO[n.category].label} (${NEED_STATUS_LABELS[n.status].csv})${n.detail ? ` : ${n.detail}` : ''}`)
    .join(' | ');
}

export function attendeesCsv(lists: RegistrationLists, timeZone: string): string {
  const header = [
    'Statut',
    "Position en liste d'attente",
    'Nom',
    'E-mail',
    'Téléphone',
    'Places',
    'Inscrit·e par un tiers',
    'Contact : nom',
    'Contact : e-mail',
    'Contact : téléphone',
    "Besoins d'accessibilité",
    'Présence',
    'Inscrit·e le',
  ];
  const rows = [...lists.confirmed, ...lists.waitlisted, ...lists.cancelled].map((r) => [
    REGISTRATION_STATE_LABELS[r.state],
    r.waitlistPosition,
    r.name,
    r.email,
    r.phone,
    r.seats,
    r.onBehalf ? 'oui' : 'non',
    r.contactName,
    r.contactEmail,
    r.contactPhone,
    needsText(r),
    r.checkedInAt ? `présent·e (${formatDateTime(r.checkedInAt, timeZone)})` : '',
    formatDateTime(r.createdAt, timeZone),
  ]);
  return toCsv([header, ...rows]);
}
