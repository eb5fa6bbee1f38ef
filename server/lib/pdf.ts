// What every PDF the app draws with PDFKit shares (the bilan, the printed programme): a tagged
// document (structure tree, language: the current language's locale unless told, the title shown
// as the window's title), the standard Helvetica fonts, paragraphs and headings as structure
// elements, artifacts for what carries no meaning, and the « page N sur M » footer (its words
// given by the caller, French by default).
//
// The standard Helvetica font is not embedded (no PDF/UA claim): it has every character of our
// French texts (« · », « ’ », « « » », « œ », « — ») but the narrow no-break space that French
// number grouping uses, drawn as a no-break space (printable()).
import type PDFKitDocument from 'pdfkit';
import { currentLanguage } from '../i18n/index.ts';
import { loadOnFirstUse } from './load-on-first-use.ts';

/** PDFKit's constructor, loaded with the first PDF. */
export const pdfKit = loadOnFirstUse<typeof PDFKitDocument>('pdfkit');

export type Doc = PDFKit.PDFDocument;
export type Struct = PDFKit.PDFStructureElement;
/** What PDFKit's structure elements take beyond its published types: a header cell's scope, a figure's box. */
export type StructOptions = PDFKit.Mixins.StructureElementOptions & { scope?: 'Column' | 'Row'; bbox?: number[] };

export const FONT = 'Helvetica';
export const BOLD = 'Helvetica-Bold';

/**
 * The narrow no-break spaces of French number formats, which Helvetica's encoding lacks, as
 * no-break spaces; and no line break inside « » (« < 5 » is one thing).
 */
export const printable = (text: string) =>
  text
    .replace(/[\u202f\u2009]/g, '\u00a0')
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»');

export interface PdfOptions {
  size: 'A4' | 'A5';
  /** Left, right and top margin, in points. */
  margin: number;
  /** Room kept under the content for the footer. */
  footerHeight: number;
  title: string;
  subject: string;
  createdAt: Date;
  /** The document's language tag (« en-GB »). Default: the current language's locale. */
  language?: string;
  /** The footer's page number (« page 2 sur 5 »). Default: French. */
  pageLabel?: (page: number, count: number) => string;
}

export interface OpenPdf {
  doc: Doc;
  /** The structure tree's root (Document): every heading, paragraph and section goes under it. */
  root: Struct;
  /** Closes the structure, writes the footer on every page and returns the file. */
  finish(): Promise<Buffer>;
}

/** A tagged PDF, its pages buffered so the footer can say « page N sur M ». */
export function openPdf(options: PdfOptions): OpenPdf {
  const { margin } = options;
  const doc = new (pdfKit())({
    size: options.size,
    margins: { top: margin, bottom: margin + options.footerHeight, left: margin, right: margin },
    bufferPages: true,
    tagged: true,
    lang: options.language ?? currentLanguage().locale,
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: options.title, Author: 'Rassembler', Subject: options.subject, CreationDate: options.createdAt, ModDate: options.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  return {
    doc,
    root,
    finish() {
      root.end();
      footer(doc, options.title, margin, options.pageLabel ?? frenchPageLabel);
      doc.end();
      return done;
    },
  };
}

/** The left edge of the content. */
export const left = (doc: Doc) => doc.page.margins.left;
/** The width of the content. */
export const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
/** Where the content may go down to on the current page (the footer below). */
export const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;

export function ensureRoom(doc: Doc, height: number) {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

/** Drawing that carries no meaning (rules, fills, repeated headers, footer): read by nobody. */
export function artifact(doc: Doc, draw: () => void, pagination = false) {
  doc.markContent('Artifact', pagination ? { type: 'Pagination' } : undefined);
  draw();
  doc.endMarkedContent();
}

export interface TextStyle {
  font?: string;
  size?: number;
  /** Space after, in lines. */
  gap?: number;
}

/** A paragraph across the content's width, at doc.y. */
export function paragraph(doc: Doc, parent: Struct, text: string, style: TextStyle = {}) {
  doc.font(style.font ?? FONT).fontSize(style.size ?? 10);
  parent.add(doc.struct('P', {}, () => doc.text(printable(text), left(doc), doc.y, { width: contentWidth(doc) })));
  doc.moveDown(style.gap ?? 0.5);
}

/** A heading across the content's width, at doc.y (bold). */
export function heading(doc: Doc, parent: Struct, role: 'H1' | 'H2' | 'H3', text: string, size: number, gap = 0.4) {
  doc.font(BOLD).fontSize(size);
  parent.add(doc.struct(role, {}, () => doc.text(printable(text), left(doc), doc.y, { width: contentWidth(doc) })));
  doc.moveDown(gap);
}

/** The height a heading of this size will take: to keep it with what follows. */
export function headingHeight(doc: Doc, text: string, size: number): number {
  doc.font(BOLD).fontSize(size);
  return doc.heightOfString(printable(text), { width: contentWidth(doc) });
}

const frenchPageLabel = (page: number, count: number) => `page ${page} sur ${count}`;

/** « title … page N sur M » at the foot of every page (pagination artifacts). */
function footer(doc: Doc, title: string, margin: number, pageLabel: (page: number, count: number) => string) {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const keep = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing below the content's bottom must not open a page
    const y = doc.page.height - margin - 10;
    const width = doc.page.width - 2 * margin;
    artifact(
      doc,
      () => {
        doc.font(FONT).fontSize(8).fillColor('#1b1b1b');
        doc.text(printable(title), margin, y, { width: width - 80, lineBreak: false, ellipsis: true });
        doc.text(printable(pageLabel(i + 1 - start, count)), margin, y, { width, align: 'right', lineBreak: false });
      },
      true,
    );
    doc.page.margins.bottom = keep;
  }
}
