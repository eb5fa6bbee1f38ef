// The three files of an export, from the same rows in the programme's order: JSON (OpenAgenda v2
// events in an envelope carrying the licence), CSV for spreadsheets, and RSS 2.0. No HTTP here.
//
// RSS 2.0 rather than Atom: the sites that take the programme in are mostly communes' and
// associations' CMSs (WordPress, SPIP, Drupal…), whose feed blocks all read RSS 2.0, and RSS has
// an element for the licence (<copyright>); Atom's only gain here, strict dates and ids, we get
// from <guid> and RFC 822 dates alike.
import type { Config } from '../config.ts';
import { eventText } from '../domain/event-text.ts';
import { ACCESS_FEATURE_INFO, AUDIENCE_LABELS, CATEGORY_LABELS, VENUE_FACT_LABELS } from '../domain/vocabulary.ts';
import { currentLanguage, formatNumber, t } from '../i18n/index.ts';
import { toCsv } from '../lib/csv.ts';
import { formatRange, isoInZone } from '../lib/time.ts';
import { LICENCE, placesLeft } from '../programme/index.ts';
import { eventUrl, openDataStatus, toOpenAgendaEvent } from './openagenda.ts';
import type { OpenDataRow } from './query.ts';
import { OPENAGENDA_STATUS, type OpenDataDocument } from './schema.ts';

export interface ExportInput {
  rows: OpenDataRow[];
  total: number;
  limit: number;
  /** « Programme SISM 2026 », « Programme SISM 2026 — GEM L'Envol » */
  title: string;
  /** The programme page with the same filters. */
  sourceUrl: string;
  /** This file's own address (RSS self link). */
  selfUrl: string;
}

export function exportJson(input: ExportInput, config: Pick<Config, 'publicUrl'>): string {
  const document: OpenDataDocument = {
    total: input.total,
    limit: input.limit,
    licence: { name: LICENCE.name, url: LICENCE.url },
    source: input.sourceUrl,
    events: input.rows.map((row) => toOpenAgendaEvent(row, config)),
  };
  return JSON.stringify(document);
}

/** The CSV's word for a status, in the current language. */
function statusWord(status: number): string {
  if (status === OPENAGENDA_STATUS.cancelled) return t('openData:status.cancelled');
  return status === OPENAGENDA_STATUS.full ? t('openData:status.full') : t('openData:status.scheduled');
}

/** « 2026-10-06 14:00 »: local, sortable, read as a date by spreadsheets. */
const localDateTime = (date: Date, zone: string) => isoInZone(date, zone).slice(0, 16).replace('T', ' ');

const CSV_COLUMNS = [
  'id',
  'title',
  'start',
  'end',
  'timeZone',
  'venue',
  'address',
  'postcode',
  'commune',
  'online',
  'organiser',
  'phone',
  'category',
  'audience',
  'accessibility',
  'venueFacts',
  'status',
  'placesLeft',
  'url',
] as const;

/** The CSV's column names, in the current language. */
export function csvHeader(): string[] {
  return CSV_COLUMNS.map((column) => t(`openData:csv.${column}`));
}

export function exportCsv(input: ExportInput, config: Pick<Config, 'publicUrl'>): string {
  const rows = input.rows.map((r) => {
    const zone = r.territory.timeZone;
    const left = placesLeft(r);
    return [
      r.id,
      eventText(r).title,
      localDateTime(r.startsAt, zone),
      localDateTime(r.endsAt, zone),
      zone,
      r.venue?.name,
      r.venue?.address,
      r.venue?.postcode,
      r.venue?.commune,
      r.onlineUrl,
      r.organisation.name,
      r.organisation.phone,
      CATEGORY_LABELS[r.category],
      AUDIENCE_LABELS[r.audience],
      r.accessibilityOffered.map((f) => ACCESS_FEATURE_INFO[f].label).join(', '),
      (r.venue?.facts ?? []).map((f) => VENUE_FACT_LABELS[f]).join(', '),
      statusWord(openDataStatus(r)),
      left === null ? t('openData:csv.freeEntry') : left,
      eventUrl(config, r.id),
    ];
  });
  return toCsv([csvHeader(), ...rows]);
}

/** Text for XML, without the characters XML 1.0 forbids (a pasted control character would break the feed). */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** « Programme SISM 2026 : 12 événements. », and how many the file holds when it cannot hold them all. */
function channelDescription(input: ExportInput): string {
  const values = { title: input.title, count: input.total, n: formatNumber(input.total), shown: formatNumber(input.rows.length) };
  return input.total > input.rows.length ? t('openData:rss.channelDescriptionFirst', values) : t('openData:rss.channelDescription', values);
}

export function exportRss(input: ExportInput, config: Pick<Config, 'publicUrl'>): string {
  const items = input.rows.map((r) => {
    const zone = r.territory.timeZone;
    const url = eventUrl(config, r.id);
    const cancelled = r.state === 'cancelled';
    const where = r.venue ? `${r.venue.name}, ${r.venue.address}, ${r.venue.postcode} ${r.venue.commune}` : t('openData:rss.online');
    const access = r.accessibilityOffered.map((f) => ACCESS_FEATURE_INFO[f].label);
    const text = eventText(r);
    const lines = [
      formatRange(r.startsAt, r.endsAt, zone),
      where,
      r.organisation.phone ? t('openData:rss.organisedByPhone', { name: r.organisation.name, phone: r.organisation.phone }) : t('openData:rss.organisedBy', { name: r.organisation.name }),
      ...(access.length > 0 ? [t('openData:rss.accessibility', { list: access.join(', ') })] : []),
      ...(cancelled ? [r.cancellationReason ? t('openData:rss.cancelledBecause', { reason: r.cancellationReason }) : t('openData:rss.cancelled')] : []),
      text.summary,
    ];
    return [
      '<item>',
      `<title>${xml(cancelled ? t('openData:rss.cancelledTitle', { title: text.title }) : text.title)}</title>`,
      `<link>${xml(url)}</link>`,
      `<guid isPermaLink="true">${xml(url)}</guid>`,
      `<description>${xml(lines.join('\n'))}</description>`,
      `<category>${xml(CATEGORY_LABELS[r.category])}</category>`,
      `<pubDate>${r.updatedAt.toUTCString()}</pubDate>`,
      '</item>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    `<title>${xml(input.title)}</title>`,
    `<link>${xml(input.sourceUrl)}</link>`,
    `<description>${xml(channelDescription(input))}</description>`,
    `<language>${xml(currentLanguage().code)}</language>`,
    `<copyright>${xml(t('openData:rss.copyright', { name: LICENCE.name, url: LICENCE.url }))}</copyright>`,
    `<atom:link href="${xml(input.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    `<atom:link href="${xml(LICENCE.url)}" rel="license"/>`,
    ...items,
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}
