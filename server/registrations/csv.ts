// The attendee list as CSV for French spreadsheet software (lib/csv.ts: BOM, `;`, formula guard).
import { ACCESS_FEATURE_INFO, NEED_STATUS_LABELS, REGISTRATION_STATE_LABELS } from '../domain/vocabulary.ts';
import { toCsv } from '../lib/csv.ts';
import { formatDateTime } from '../lib/time.ts';
import type { OrganiserRegistration, RegistrationLists } from './organiser.ts';

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
