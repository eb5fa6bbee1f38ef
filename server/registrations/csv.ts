// The attendee list as CSV for French spreadsheet software (lib/csv.ts: BOM, `;`, formula guard),
// its headers and words in the language of the moment.
import { ACCESS_FEATURE_INFO, NEED_STATUS_LABELS, REGISTRATION_STATE_LABELS } from '../domain/vocabulary.ts';
import { toCsv } from '../lib/csv.ts';
import { formatDateTime } from '../lib/time.ts';
import { t } from '../i18n/index.ts';
import type { OrganiserRegistration, RegistrationLists } from './organiser.ts';

function needsText(r: OrganiserRegistration): string {
  return r.needs
    .map((n) => {
      const need = ACCESS_FEATURE_INFO[n.category].label;
      const status = NEED_STATUS_LABELS[n.status].csv;
      return n.detail ? t('team:csv.needWithDetail', { need, status, detail: n.detail }) : t('team:csv.need', { need, status });
    })
    .join(' | ');
}

export function attendeesCsv(lists: RegistrationLists, timeZone: string): string {
  const header = ['status', 'waitlistPosition', 'name', 'email', 'phone', 'seats', 'onBehalf', 'contactName', 'contactEmail', 'contactPhone', 'needs', 'presence', 'registeredOn'].map((column) =>
    t(`team:csv.columns.${column}`),
  );
  const rows = [...lists.confirmed, ...lists.waitlisted, ...lists.cancelled].map((r) => [
    REGISTRATION_STATE_LABELS[r.state],
    r.waitlistPosition,
    r.name,
    r.email,
    r.phone,
    r.seats,
    r.onBehalf ? t('team:csv.yes') : t('team:csv.no'),
    r.contactName,
    r.contactEmail,
    r.contactPhone,
    needsText(r),
    r.checkedInAt ? t('team:csv.present', { time: formatDateTime(r.checkedInAt, timeZone) }) : '',
    formatDateTime(r.createdAt, timeZone),
  ]);
  return toCsv([header, ...rows]);
}
