// The texts a registrant gets instead of a mail when they have no e-mail (notify.ts decides):
// short, plain, with the manage link. Written in the GSM 7-bit alphabet (é, è, à, ù are in it; ê, ç,
// « » are not): one character outside it turns the whole text into UCS-2, 70 characters a part
// instead of 160. Two parts (306 characters) at most: the event's title is shortened to fit.
import { DateTime } from 'luxon';
import { SOURCE_LANGUAGE, currentLanguage, t } from '../i18n/index.ts';

/** Two concatenated GSM-7 parts (153 characters each once the parts carry their header). */
export const SMS_MAX = 306;

// GSM 03.38 basic set; the extension characters ([ ] { } € …) cost two and are avoided.
const GSM7 = new Set([..."@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"]);
const REPLACEMENTS: Record<string, string> = { '«': '"', '»': '"', '’': "'", '‘': "'", '“': '"', '”': '"', '…': '...', '–': '-', '—': '-', '\u00a0': ' ', '\u202f': ' ', '·': '.', œ: 'oe', Œ: 'OE' };

/** The text in the GSM 7-bit alphabet: accents it lacks dropped (ê → e, ç → c), the rest replaced. */
export function toGsm7(text: string): string {
  let out = '';
  for (const char of text) {
    if (GSM7.has(char)) out += char;
    else if (REPLACEMENTS[char] !== undefined) out += REPLACEMENTS[char];
    else {
      const base = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += [...base].every((c) => GSM7.has(c)) ? base : '?';
    }
  }
  return out;
}

/** « mar. 6 oct. à 14h00 » (« Tue 6 Oct, 14:00 »), in the event's zone and the text's language. */
export function shortWhen(date: Date, zone: string): string {
  const { code, locale } = currentLanguage();
  const format = code === SOURCE_LANGUAGE ? "ccc d LLL 'à' HH'h'mm" : 'ccc d LLL, HH:mm';
  return DateTime.fromJSDate(date, { zone }).setLocale(locale).toFormat(format);
}

/** A text built around the event's title, the title shortened until the whole fits in two parts. */
export function fitSms(build: (title: string) => string, title: string): string {
  const full = toGsm7(build(title));
  const over = full.length - SMS_MAX;
  if (over <= 0) return full;
  const shortened = `${[...title].slice(0, Math.max(8, [...title].length - over - 3)).join('').trimEnd()}...`;
  return toGsm7(build(shortened)).slice(0, SMS_MAX);
}

/** A text carrying someone's own words after `head`: as many of them as fit in two parts, cut with « ... ». */
export function fitWords(head: string, words: string): string {
  const start = toGsm7(head);
  const text = toGsm7(words.replace(/\s+/g, ' ').trim());
  if (start.length + text.length <= SMS_MAX) return start + text;
  return `${start}${text.slice(0, Math.max(0, SMS_MAX - start.length - 3)).trimEnd()}...`.slice(0, SMS_MAX);
}

/** « votre inscription » or, sent to the helper who registered someone, « l'inscription de Marie ». */
export function whose(reg: { onBehalf: boolean; name: string | null }): string {
  return reg.onBehalf ? t('registrantMails:sms.theirs', { name: reg.name ?? t('registrantMails:sms.thePerson') }) : t('registrantMails:sms.yours');
}

/** What every text starts from: the event's title and time (and where, when it matters). */
export function eventBits(cal: {
  title: string;
  startsAt: Date;
  timeZone: string;
  onlineUrl: string | null;
  venue: { name: string; commune: string | null } | null;
}) {
  const where = cal.venue ? [cal.venue.name, cal.venue.commune].filter(Boolean).join(', ') : cal.onlineUrl ? t('registrantMails:sms.online') : '';
  return { title: cal.title, when: shortWhen(cal.startsAt, cal.timeZone), where };
}
