// A chart as an SVG string, drawn on the server by Vega-Lite (compiled to Vega, rendered headless):
// no script in the page, nothing drawn by hand. The SVG is an image with a name and a description
// (role="img", aria-labelledby its <title> and <desc>), the marks' own ARIA left out (inside an
// image they are not read); the page's stylesheet narrows it to the screen (max-width, viewBox). The
// data always follows as a table in the page.
//
// Rendering costs 15–40 ms a chart (measured on the development machine), far more than the SQL of a
// whole report: each SVG is kept, by the hash of its spec and data, so a page whose figures did not
// change renders no chart again; requests for the same chart while it renders share that render.
import { createHash } from 'node:crypto';
import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml } from '../plugins/views.ts';

export interface Chart {
  /** Unique in the page: the ids of its title and description derive from it. */
  id: string;
  title: string;
  /** What the chart shows, in a sentence or two, for those who do not see it. */
  description: string;
  spec: TopLevelSpec;
}

/** What every chart shares: the site's font and colours, readable text, no interaction. */
const CONFIG = {
  aria: false,
  background: 'transparent',
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  axis: { labelFontSize: 13, titleFontSize: 13, labelColor: '#1b1b1b', titleColor: '#1b1b1b', labelLimit: 320 },
  legend: { labelFontSize: 13, titleFontSize: 13, labelColor: '#1b1b1b', titleColor: '#1b1b1b', orient: 'bottom' },
  view: { stroke: null },
  bar: { color: '#1f5f9e' },
} as const;

const CACHE_SIZE = 500;
const rendered = new Map<string, Promise<string>>();

// Loaded on first use: 200 ms of module loading that pages without charts do not pay.
let engines: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;
function loadEngines() {
  engines ??= Promise.all([import('vega'), import('vega-lite')]);
  return engines;
}

/** Vega's own roles and labels (« graphics-symbol », English descriptions): inside an image they
 *  are not read, and checkers rightly ask each such role for a name. */
const INNER_ARIA = / (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"/g;

async function draw(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await loadEngines();
  const view = new vega.View(vega.parse(vegaLite.compile({ ...spec, config: { ...CONFIG, ...spec.config } } as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return (await view.toSVG()).replace(INNER_ARIA, '');
  } finally {
    view.finalize();
  }
}

/** The chart's SVG for inline use (cached by spec and data; the title and description are added each time). */
export async function renderChart(chart: Chart): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify(chart.spec)).digest('base64url');
  let svg = rendered.get(key);
  if (svg) {
    // Most recently used last: the first key is the one to drop.
    rendered.delete(key);
  } else {
    svg = draw(chart.spec);
    svg.catch(() => rendered.delete(key));
  }
  rendered.set(key, svg);
  if (rendered.size > CACHE_SIZE) rendered.delete(rendered.keys().next().value!);
  return accessible(await svg, chart);
}

/** role="img" named by the chart's title and description. */
function accessible(svg: string, chart: Chart): string {
  const titleId = `${chart.id}-titre`;
  const descId = `${chart.id}-description`;
  return svg.replace(
    /^<svg([^>]*)>/,
    `<svg$1 role="img" aria-labelledby="${titleId} ${descId}" focusable="false"><title id="${titleId}">${escapeHtml(chart.title)}</title><desc id="${descId}">${escapeHtml(chart.description)}</desc>`,
  );
}
