// Phone numbers as people type them in France and its overseas territories (06 12 34 56 78,
// +33 6…, 0692… in La Réunion, 0694… in Guyane…), stored in E.164 (+33612345678) so that the same
// phone is the same text (duplicates, texts). libphonenumber-js holds the numbering plans.
import type { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { loadOnFirstUse } from '../lib/load-on-first-use.ts';

// The full numbering plans (12 MiB): loaded with the first phone number, not by every process.
const phoneNumbers = loadOnFirstUse<{ parsePhoneNumberFromString: typeof parsePhoneNumberFromString }>('libphonenumber-js/max');

// A national number (0…) is tried as metropolitan first, then as each overseas numbering plan:
// 0692 12 34 56 is not a valid metropolitan number but is a Réunion mobile.
const NATIONAL_PLANS: CountryCode[] = ['FR', 'RE', 'YT', 'GP', 'MQ', 'GF', 'PM', 'BL', 'MF', 'NC', 'PF', 'WF'];

/** The number in E.164, or null when it is no valid number (international ones with their +). */
export function toE164(raw: string): string | null {
  const typed = raw.trim();
  if (typed.length > 30) return null;
  for (const plan of NATIONAL_PLANS) {
    const parsed = phoneNumbers().parsePhoneNumberFromString(typed, plan);
    if (parsed?.isValid()) return parsed.number;
    // With a + (or 00) the plan is in the number: trying others changes nothing.
    if (/^(\+|00)/.test(typed)) return null;
  }
  return null;
}

/** Whether texts can reach this number (a mobile, or a number whose plan cannot tell). */
export function isMobile(phone: string | null): phone is string {
  if (!phone) return false;
  const e164 = toE164(phone);
  const type = e164 ? phoneNumbers().parsePhoneNumberFromString(e164)?.getType() : undefined;
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
}

/** « +33 6 12 34 56 78 » for the organiser to read and dial. */
export function displayPhone(phone: string): string {
  const parsed = toE164(phone) ? phoneNumbers().parsePhoneNumberFromString(toE164(phone)!) : undefined;
  return parsed ? parsed.formatInternational() : phone;
}
