// The accessibility pictograms of the site (static/img/access.svg) drawn as PDF vector paths. The
// sprite holds simple shapes (path, rect, circle) on a 24-unit grid: read once, drawn by PDFKit's
// own path commands, far cheaper than an SVG renderer per pictogram for a 500-event booklet.
import { readFileSync } from 'node:fs';
import type { AccessFeature } from '../domain/vocabulary.ts';
import type { Doc } from '../lib/pdf.ts';
import { projectPath } from '../lib/project-path.ts';

interface Shape {
  /** SVG path data (rects and circles turned into paths). */
  d: string;
  fill: boolean;
}

const attribute = (element: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(element)?.[1];
const number = (element: string, name: string) => Number(attribute(element, name) ?? 0);

function toShape(element: string): Shape | null {
  const fill = attribute(element, 'fill') === 'currentColor';
  if (element.startsWith('<path')) return { d: attribute(element, 'd') ?? '', fill };
  if (element.startsWith('<rect')) {
    const [x, y, w, h, r] = ['x', 'y', 'width', 'height', 'rx'].map((n) => number(element, n)) as [number, number, number, number, number];
    return {
      d: `M${x + r} ${y}H${x + w - r}A${r} ${r} 0 0 1 ${x + w} ${y + r}V${y + h - r}A${r} ${r} 0 0 1 ${x + w - r} ${y + h}H${x + r}A${r} ${r} 0 0 1 ${x} ${y + h - r}V${y + r}A${r} ${r} 0 0 1 ${x + r} ${y}Z`,
      fill,
    };
  }
  if (element.startsWith('<circle')) {
    const [cx, cy, r] = ['cx', 'cy', 'r'].map((n) => number(element, n)) as [number, number, number];
    return { d: `M${cx - r} ${cy}A${r} ${r} 0 1 0 ${cx + r} ${cy}A${r} ${r} 0 1 0 ${cx - r} ${cy}Z`, fill };
  }
  return null;
}

function readSprite(): Map<string, Shape[]> {
  const svg = readFileSync(projectPath('static', 'img', 'access.svg'), 'utf8');
  const symbols = new Map<string, Shape[]>();
  for (const [, id, body] of svg.matchAll(/<symbol id="([^"]+)"[^>]*>([\s\S]*?)<\/symbol>/g)) {
    symbols.set(id!, [...body!.matchAll(/<(?:path|rect|circle)\b[^>]*>/g)].flatMap((m) => toShape(m[0]) ?? []));
  }
  return symbols;
}

let sprite: Map<string, Shape[]> | null = null;

/** Draws a feature's pictogram in a size × size box at (x, y); the caller marks it (an artifact: its word is printed beside it). */
export function drawPictogram(doc: Doc, feature: AccessFeature, x: number, y: number, size: number) {
  sprite ??= readSprite();
  const shapes = sprite.get(feature) ?? [];
  doc.save();
  doc.translate(x, y).scale(size / 24);
  doc.lineWidth(2).lineCap('round').lineJoin('round');
  for (const shape of shapes) {
    doc.path(shape.d);
    if (shape.fill) doc.fill('black');
    else doc.stroke('black');
  }
  doc.restore();
}
