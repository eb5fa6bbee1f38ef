// Reading a PDF back as a person's reader does: each page's text lines (pdf.js groups text items by
// their baseline), the document's metadata and its structure tree.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';

/** The metrics of the standard fonts, which the PDF names without embedding them. */
const standardFontDataUrl = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts/');

export interface StructNode {
  role?: string;
  alt?: string;
  children?: StructNode[];
}

export interface ReadPdf {
  /** Per page, its lines top to bottom, each the texts on one baseline left to right, joined by « | »
   *  (no-break spaces read as spaces). */
  pages: string[][];
  /** Per page, its width and height in points. */
  sizes: Array<[number, number]>;
  title: string | undefined;
  language: string | undefined;
  marked: boolean;
  /** The roles of the structure tree, depth first (H1, H2, Table, TR, TH…), over all pages. */
  roles: string[];
  /** The alternative texts of the Figure elements. */
  figureAlts: string[];
}

function walk(node: StructNode, visit: (n: StructNode) => void) {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

export async function readPdf(bytes: Buffer): Promise<ReadPdf> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl, useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[][] = [];
  const sizes: Array<[number, number]> = [];
  const roles: string[] = [];
  const figureAlts: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    sizes.push([x1 - x0, y1 - y0]);
    const items = (await page.getTextContent()).items.filter((i): i is TextItem => 'str' in i && i.str.trim() !== '');
    const lines = new Map<number, Array<{ x: number; str: string }>>();
    for (const item of items) {
      // Cells of one table row start at one baseline; a wrapped cell's next line is another baseline.
      const y = Math.round(item.transform[5]!);
      const line = lines.get(y) ?? [];
      line.push({ x: item.transform[4]!, str: item.str.replace(/\u00a0/g, ' ') });
      lines.set(y, line);
    }
    pages.push([...lines.entries()].sort(([a], [b]) => b - a).map(([, line]) => line.sort((a, b) => a.x - b.x).map((i) => i.str).join(' | ')));
    const tree = (await page.getStructTree()) as StructNode | null;
    if (tree)
      walk(tree, (node) => {
        if (node.role) roles.push(node.role);
        if (node.role === 'Figure' && node.alt) figureAlts.push(node.alt);
      });
  }
  const { info } = (await pdf.getMetadata()) as unknown as { info: Record<string, unknown> };
  const marked = ((await pdf.getMarkInfo()) as { Marked?: boolean } | null)?.Marked === true;
  await pdf.destroy();
  return { pages, sizes, title: info.Title as string | undefined, language: info.Language as string | undefined, marked, roles, figureAlts };
}
