// The printed programme as a PDF file (A4, or A5 for a folded booklet), drawn by PDFKit from the
// programme's own day groups (the programme page's presentation): a cover, the events day by day,
// an index by commune, and the accessibility and privacy notes, in the current language (its
// words, its locale as the document's language). No database, no HTTP here.
//
// Tagged like the bilan (lib/pdf.ts): H1 on the cover, H2 per day and per note, each event a Sect
// with its title as H3 and its details as paragraphs, in reading order. The pictograms are
// artifacts: their word is always printed beside them, so a reader would hear it twice.
import { BOLD, FONT, artifact, contentWidth, ensureRoom, heading, headingHeight, left, openPdf, paragraph, printable, type Doc, type Struct } from '../lib/pdf.ts';
import { currentLanguage, localPath, t } from '../i18n/index.ts';
import type { AccessTag, DayGroup, ProgrammeItem } from '../programme/index.ts';
import { drawPictogram } from './pictograms.ts';

export type BookletFormat = 'a4' | 'a5';

export interface BookletContent {
  /** « Programme des SISM 2026 : CLSM de Cayenne »: the document's title. */
  title: string;
  format: BookletFormat;
  /** The cover's lines under the title: edition, dates, theme, territory, filters, count. */
  cover: string[];
  days: DayGroup[];
  /** Texts of the closing notes, each a heading and its paragraphs. */
  notes: Array<{ heading: string; paragraphs: string[] }>;
  publicUrl: string;
  createdAt: Date;
}

interface Style {
  margin: number;
  text: number;
  small: number;
  h1: number;
  h2: number;
  h3: number;
}

const STYLES: Record<BookletFormat, Style> = {
  a4: { margin: 50, text: 10, small: 9, h1: 22, h2: 15, h3: 11.5 },
  a5: { margin: 34, text: 9, small: 8, h1: 18, h2: 13, h3: 10 },
};
const FOOTER_HEIGHT = 20;
const GREY = '#4a4a4a';

/** What is printed of one event, line by line (the access line apart), in the current language. */
function eventLines(item: ProgrammeItem, publicUrl: string): { time: string; title: string; details: string[] } {
  const where = item.venueName ? t('booklet:event.venue', { venue: item.venueName, address: item.address ?? item.commune ?? '' }) : '';
  const place = item.venueName ? (item.online ? t('booklet:event.venueAndOnline', { venue: where }) : where) : t('booklet:event.online');
  const phone = item.organiser.phone;
  // The short link as people type it: no scheme (browsers add it), so it stays on one line.
  const url = `${publicUrl.replace(/^https?:\/\//, '')}${localPath(item.href)}`;
  return {
    time: `${item.time}${item.zoneNote ? ` (${item.zoneNote})` : ''} · ${item.category}`,
    title: item.cancelled ? t('booklet:event.cancelledTitle', { title: item.title }) : item.title,
    details: [
      place,
      phone ? t('booklet:event.organisationPhone', { name: item.organiser.name, phone }) : t('booklet:event.organisation', { name: item.organiser.name }),
      item.cancelled ? t('booklet:event.cancelled') : phone ? t('booklet:event.registerPhone', { phone, url }) : t('booklet:event.register', { url }),
    ],
  };
}

/**
 * Lays out the access line (pictogram, word; wrapping at the right edge) from doc.y; draws it when
 * `draw` is given (each word through it), and returns its height either way.
 */
function accessLine(doc: Doc, tags: AccessTag[], size: number, draw?: (word: string, x: number, y: number) => void): number {
  if (tags.length === 0) return 0;
  doc.font(FONT).fontSize(size);
  const icon = size * 1.25;
  const lineHeight = Math.max(icon, doc.currentLineHeight(true)) + 2;
  const x0 = left(doc);
  const right = x0 + contentWidth(doc);
  let x = x0;
  let y = doc.y;
  for (const { feature, label } of tags) {
    const word = printable(label);
    const width = icon + 3 + doc.widthOfString(word) + 10;
    if (x > x0 && x + width > right) {
      x = x0;
      y += lineHeight;
    }
    if (draw) {
      const iconY = y + (lineHeight - 2 - icon) / 2;
      artifact(doc, () => drawPictogram(doc, feature, x, iconY, icon));
      draw(word, x + icon + 3, y + (lineHeight - 2 - doc.currentLineHeight(true)) / 2);
    }
    x += width;
  }
  return y + lineHeight - doc.y;
}

/**
 * About the height an event will take, to keep it on one page: each text's width over the line's
 * (one measuring pass; a full wrap would measure every word again, twice the cost of drawing).
 */
function eventHeight(doc: Doc, item: ProgrammeItem, lines: ReturnType<typeof eventLines>, s: Style): number {
  const width = contentWidth(doc);
  const height = (font: string, size: number, text: string) => {
    doc.font(font).fontSize(size);
    return Math.ceil((doc.widthOfString(text) * 1.1) / width) * doc.currentLineHeight(true);
  };
  let total = height(BOLD, s.small, lines.time) + height(BOLD, s.h3, lines.title);
  for (const line of lines.details) total += height(FONT, s.text, line);
  return total + accessLine(doc, item.access, s.small) + doc.currentLineHeight() * 1.2;
}

/** One event as a Sect; returns the page (1-based) it starts on, for the index. */
function drawEvent(doc: Doc, parent: Struct, item: ProgrammeItem, s: Style, publicUrl: string): number {
  const lines = eventLines(item, publicUrl);
  ensureRoom(doc, eventHeight(doc, item, lines, s));
  const page = doc.bufferedPageRange().count;
  const sect = doc.struct('Sect');
  parent.add(sect);
  doc.fillColor(GREY);
  paragraph(doc, sect, lines.time, { font: BOLD, size: s.small, gap: 0 });
  doc.fillColor('black');
  heading(doc, sect, 'H3', lines.title, s.h3, 0.1);
  for (const line of lines.details.slice(0, 2)) paragraph(doc, sect, line, { size: s.text, gap: 0 });
  if (item.access.length > 0) {
    const p = doc.struct('P');
    sect.add(p);
    const top = doc.y;
    const height = accessLine(doc, item.access, s.small, (word, x, y) => p.add(() => doc.text(`${word} `, x, y, { lineBreak: false })));
    p.end();
    doc.x = left(doc);
    doc.y = top + height;
  }
  paragraph(doc, sect, lines.details[2]!, { size: s.text, gap: 0 });
  sect.end();
  doc.moveDown(0.8);
  return page;
}

function drawCover(doc: Doc, root: Struct, content: BookletContent, s: Style) {
  doc.y = doc.page.margins.top + (content.format === 'a5' ? 30 : 60);
  heading(doc, root, 'H1', content.title, s.h1, 0.8);
  const [first, ...rest] = content.cover;
  if (first) paragraph(doc, root, first, { font: BOLD, size: s.h3, gap: 0.6 });
  for (const line of rest) paragraph(doc, root, line, { size: s.text + 1, gap: 0.5 });
}

interface IndexEntry {
  commune: string;
  day: string;
  item: ProgrammeItem;
  page: number;
}

function drawIndex(doc: Doc, root: Struct, entries: IndexEntry[], s: Style) {
  const ONLINE = t('booklet:index.online');
  const collator = new Intl.Collator(currentLanguage().locale, { sensitivity: 'base' });
  const byCommune = new Map<string, IndexEntry[]>();
  for (const entry of entries) byCommune.set(entry.commune, [...(byCommune.get(entry.commune) ?? []), entry]);
  const communes = [...byCommune.keys()].sort((a, b) => (a === ONLINE ? 1 : b === ONLINE ? -1 : collator.compare(a, b)));
  doc.addPage();
  const sect = doc.struct('Sect');
  root.add(sect);
  heading(doc, sect, 'H2', t('booklet:index.heading'), s.h2, 0.5);
  for (const commune of communes) {
    ensureRoom(doc, headingHeight(doc, commune, s.h3) + 3 * doc.currentLineHeight(true));
    heading(doc, sect, 'H3', commune, s.h3, 0.1);
    for (const e of byCommune.get(commune)!) {
      const values = { day: e.day, time: e.item.time, title: e.item.title, page: e.page };
      paragraph(doc, sect, e.item.cancelled ? t('booklet:index.cancelledEntry', values) : t('booklet:index.entry', values), { size: s.small, gap: 0.1 });
    }
    doc.moveDown(0.4);
  }
  sect.end();
}

/** The printed programme as a PDF file. */
export function bookletPdf(content: BookletContent): Promise<Buffer> {
  const s = STYLES[content.format];
  const { doc, root, finish } = openPdf({
    size: content.format === 'a5' ? 'A5' : 'A4',
    margin: s.margin,
    footerHeight: FOOTER_HEIGHT,
    title: content.title,
    subject: t('booklet:subject'),
    createdAt: content.createdAt,
    language: currentLanguage().locale,
    pageLabel: (page, count) => t('booklet:footer', { page, count }),
  });
  drawCover(doc, root, content, s);

  const index: IndexEntry[] = [];
  doc.addPage();
  for (const group of content.days) {
    // A day's heading never alone at a page's foot.
    ensureRoom(doc, headingHeight(doc, group.heading, s.h2) + 80);
    const sect = doc.struct('Sect');
    root.add(sect);
    heading(doc, sect, 'H2', group.heading, s.h2, 0.6);
    for (const item of group.items) {
      const page = drawEvent(doc, sect, item, s, content.publicUrl);
      index.push({ commune: item.commune ?? t('booklet:index.online'), day: group.heading, item, page });
    }
    sect.end();
  }
  if (index.length > 0) drawIndex(doc, root, index, s);

  doc.addPage();
  for (const note of content.notes) {
    const sect = doc.struct('Sect');
    root.add(sect);
    ensureRoom(doc, headingHeight(doc, note.heading, s.h2) + 60);
    heading(doc, sect, 'H2', note.heading, s.h2, 0.4);
    for (const text of note.paragraphs) paragraph(doc, sect, text, { size: s.text });
    sect.end();
    doc.moveDown(0.6);
  }
  return finish();
}
