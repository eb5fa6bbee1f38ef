// The bilan as a PDF file (A4 portrait), drawn on the server by PDFKit from the same sections as
// the bilan page (sections.ts), so it holds the same numbers and the same hidden small counts as
// the page and the CSV files. Each section is a heading, its paragraphs, its charts (vector, from
// the SVG the page shows) and its tables; a table that does not fit continues on the next page
// with its header row repeated. Footer: « page N sur M ».
//
// Accessibility, as far as PDFKit goes: a tagged PDF (structure tree: H1, H2, P, Table with Caption,
// TR, TH with its scope, TD; Figure with the chart's description as its alternative text), language
// fr-FR, the title shown as the window's title: the document itself comes from lib/pdf.ts, shared
// with the printed programme. Rules, fills, repeated header rows and the footer are artifacts,
// skipped by screen readers.
import type SVGtoPDFFunction from 'svg-to-pdfkit';
import { BOLD, FONT, artifact, ensureRoom, heading, headingHeight, openPdf, paragraph as sharedParagraph, printable, bottom, type Doc, type Struct, type StructOptions } from '../lib/pdf.ts';
import { loadOnFirstUse } from '../lib/load-on-first-use.ts';
import { cellText, type Cell } from './cells.ts';
import type { RenderedSection } from './sections.ts';
import type { ReportTable } from './tables.ts';

const svgToPdf = loadOnFirstUse<typeof SVGtoPDFFunction>('svg-to-pdfkit');
import { t } from '../i18n/index.ts';

export interface BilanPdf {
  /** « Bilan des SISM 2026 : CLSM de Cayenne »: the H1 and the document's title. */
  title: string;
  /** Lines under the title: the edition, its theme and dates; when the document was made. */
  lines: string[];
  sections: RenderedSection[];
  createdAt: Date;
}

const MARGIN = 50;
const FOOTER_HEIGHT = 24;
const TEXT_SIZE = 10;
const PAD = 3;
const RULE = '#6b6b6b';
const HEADER_FILL = '#e8eef5';

const columnHeader: StructOptions = { scope: 'Column' };
const rowHeader: StructOptions = { scope: 'Row' };

function paragraph(doc: Doc, parent: Struct, text: string, options: { font?: string; size?: number; gap?: number } = {}) {
  sharedParagraph(doc, parent, text, { size: TEXT_SIZE, ...options });
}

// --- Tables -------------------------------------------------------------------------------------

interface Layout {
  size: number;
  widths: number[];
  header: string[];
  rows: Array<{ texts: string[]; total: boolean }>;
}

const longestWord = (doc: Doc, text: string) => Math.max(0, ...text.split(/[ /]+/).map((w) => doc.widthOfString(w)));

/**
 * Column widths, as a browser lays out an automatic table but the rows' names first: each column
 * at least its longest word; then the first column (the rows' names) as wide as its longest name
 * needs, within half the room left; the rest shared in proportion to what each other column needs
 * to hold its texts on one line; what is still left goes to the first column.
 */
function columnWidths(doc: Doc, table: ReportTable, texts: string[][], size: number, available: number): number[] {
  const measure = (j: number, fn: (text: string) => number) =>
    Math.max(...texts.map((row, i) => (doc.font(i === 0 || j === 0 ? BOLD : FONT).fontSize(size), fn(row[j]!)))) + 2 * PAD;
  const least = table.columns.map((_, j) => measure(j, (t) => longestWord(doc, t)));
  const most = table.columns.map((_, j) => measure(j, (t) => doc.widthOfString(t)));
  const widths = [...least];
  const room = () => available - widths.reduce((a, b) => a + b, 0);
  if (room() < 0) return widths.map((w) => (w * available) / (available - room()));
  widths[0]! += Math.min(most[0]! - least[0]!, room() / 2);
  const wanted = most.map((m, j) => (j === 0 ? 0 : m - least[j]!));
  const totalWanted = wanted.reduce((a, b) => a + b, 0);
  const left = room();
  if (totalWanted > 0) wanted.forEach((w, j) => (widths[j]! += Math.min(w, (left * w) / totalWanted)));
  widths[0]! += room();
  return widths;
}

function layout(doc: Doc, table: ReportTable): Layout {
  const size = table.columns.length > 5 ? 8 : 9;
  const header = table.columns.map((c) => printable(c.label));
  const rows = [...table.rows.map((r) => ({ cells: r, total: false })), ...(table.total ? [{ cells: table.total, total: true }] : [])].map((r) => ({
    texts: r.cells.map((cell: Cell) => printable(cellText(cell))),
    total: r.total,
  }));
  const widths = columnWidths(doc, table, [header, ...rows.map((r) => r.texts)], size, doc.page.width - 2 * MARGIN);
  return { size, widths, header, rows };
}

function rowHeight(doc: Doc, l: Layout, texts: string[], bold: boolean[]): number {
  return Math.max(...texts.map((t, j) => (doc.font(bold[j] ? BOLD : FONT).fontSize(l.size), doc.heightOfString(t || ' ', { width: l.widths[j]! - 2 * PAD })))) + 2 * PAD;
}

interface RowStyle {
  /** Per cell: a header cell (bold). */
  bold: boolean[];
  fill?: string;
  /** A rule above the row (the total's). */
  ruleAbove?: boolean;
}

/**
 * One row at doc.y. `cell` puts each cell's text in its structure element; without it the whole
 * row is an artifact (a header row repeated on a new page). The rules are artifacts either way.
 */
function drawRow(doc: Doc, l: Layout, table: ReportTable, texts: string[], style: RowStyle, cell?: (j: number, draw: () => void) => void) {
  const top = doc.y;
  const height = rowHeight(doc, l, texts, style.bold);
  const width = l.widths.reduce((a, b) => a + b, 0);
  const rules = () => {
    if (style.fill) doc.rect(MARGIN, top, width, height).fill(style.fill);
    doc.lineWidth(style.ruleAbove ? 1 : 0.5).strokeColor(RULE);
    if (style.ruleAbove) doc.moveTo(MARGIN, top).lineTo(MARGIN + width, top).stroke();
    doc.lineWidth(0.5).moveTo(MARGIN, top + height).lineTo(MARGIN + width, top + height).stroke();
    doc.fillColor('black');
  };
  const cells = (each: (j: number, draw: () => void) => void) => {
    let x = MARGIN;
    texts.forEach((text, j) => {
      const left = x;
      each(j, () => {
        doc.font(style.bold[j] ? BOLD : FONT).fontSize(l.size);
        doc.text(text, left + PAD, top + PAD, { width: l.widths[j]! - 2 * PAD, align: j > 0 && table.columns[j]!.numeric ? 'right' : 'left' });
      });
      x += l.widths[j]!;
    });
  };
  if (cell) {
    artifact(doc, rules);
    cells(cell);
  } else {
    artifact(doc, () => (rules(), cells((_, draw) => draw())), true);
  }
  doc.x = MARGIN;
  doc.y = top + height;
}

function drawTable(doc: Doc, parent: Struct, table: ReportTable) {
  const l = layout(doc, table);
  const headerStyle: RowStyle = { bold: l.header.map(() => true), fill: HEADER_FILL };
  const headerHeight = rowHeight(doc, l, l.header, headerStyle.bold);
  doc.font(BOLD).fontSize(TEXT_SIZE);
  const captionHeight = doc.heightOfString(table.caption, { width: doc.page.width - 2 * MARGIN });
  const firstRow = l.rows[0] ? rowHeight(doc, l, l.rows[0].texts, [true]) : 0;
  // The caption, the header and a first row together, never a caption alone at a page's foot.
  ensureRoom(doc, captionHeight + headerHeight + firstRow + 6);

  const structure = doc.struct('Table');
  parent.add(structure);
  doc.font(BOLD).fontSize(TEXT_SIZE);
  structure.add(doc.struct('Caption', {}, () => doc.text(printable(table.caption), MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN })));
  doc.moveDown(0.3);

  const header = doc.struct('TR');
  structure.add(header);
  drawRow(doc, l, table, l.header, headerStyle, (_, draw) => header.add(doc.struct('TH', columnHeader, draw)));
  header.end();

  for (const row of l.rows) {
    const style: RowStyle = { bold: row.texts.map((_, j) => j === 0 || row.total), ruleAbove: row.total };
    if (doc.y + rowHeight(doc, l, row.texts, style.bold) > bottom(doc)) {
      doc.addPage();
      drawRow(doc, l, table, l.header, headerStyle);
    }
    const tr = doc.struct('TR');
    structure.add(tr);
    drawRow(doc, l, table, row.texts, style, (j, draw) =>
      tr.add(j === 0 ? doc.struct('TH', rowHeader, draw) : doc.struct('TD', {}, draw)),
    );
    tr.end();
  }
  structure.end();
  doc.moveDown(1);
}

// --- Charts -------------------------------------------------------------------------------------

/** The SVG's size in CSS pixels, as Vega writes it on the root element. */
function svgSize(svg: string): { width: number; height: number } {
  const root = /^<svg[^>]*>/.exec(svg)?.[0] ?? '';
  const number = (name: string) => Number(new RegExp(` ${name}="([\\d.]+)"`).exec(root)?.[1] ?? 0);
  return { width: number('width'), height: number('height') };
}

function drawChart(doc: Doc, parent: Struct, title: string, description: string, svg: string) {
  const size = svgSize(svg);
  const width = Math.min(doc.page.width - 2 * MARGIN, size.width * 0.75);
  const height = size.width > 0 ? (size.height * width) / size.width : 0;
  doc.font(BOLD).fontSize(TEXT_SIZE);
  ensureRoom(doc, doc.heightOfString(title) + height + 12);
  paragraph(doc, parent, t('reports:chart.captionWithData', { title }), { font: BOLD, gap: 0.3 });
  const top = doc.y;
  const figure: StructOptions = { alt: printable(description), bbox: [MARGIN, top, MARGIN + width, top + height] };
  parent.add(
    doc.struct('Figure', figure, () =>
      svgToPdf()(doc, svg, MARGIN, top, { width, height, fontCallback: (_family, bold) => (bold ? BOLD : FONT) }),
    ),
  );
  doc.x = MARGIN;
  doc.y = top + height + 12;
}

// --- The document -------------------------------------------------------------------------------

/** The bilan as a PDF file. */
export async function bilanPdf(bilan: BilanPdf): Promise<Buffer> {
  // The footer's words in the page's language (« page 2 sur 5 », « page 2 of 5 »): lib/pdf.ts reads
  // `pageLabel` once it takes them (until then it writes its own French footer and ignores it).
  const options = {
    size: 'A4' as const,
    margin: MARGIN,
    footerHeight: FOOTER_HEIGHT,
    title: bilan.title,
    subject: t('reports:pdf.subject'),
    createdAt: bilan.createdAt,
    pageLabel: (page: number, count: number) => t('reports:pdf.page', { page, count }),
  };
  const { doc, root: document, finish } = openPdf(options);
  doc.y = MARGIN;
  heading(doc, document, 'H1', bilan.title, 18, 0.5);
  for (const line of bilan.lines) paragraph(doc, document, line);
  doc.moveDown(0.5);

  for (const section of bilan.sections) {
    const sect = doc.struct('Sect');
    document.add(sect);
    ensureRoom(doc, headingHeight(doc, section.heading, 14) + 80);
    heading(doc, sect, 'H2', section.heading, 14);
    for (const text of section.intro) paragraph(doc, sect, text);
    doc.moveDown(0.3);
    for (const block of section.blocks) {
      if ('svg' in block) drawChart(doc, sect, block.chart.title, block.chart.description, block.svg);
      drawTable(doc, sect, block.table);
    }
    sect.end();
  }
  return finish();
}
