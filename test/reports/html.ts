// Reading the report pages as a person does: a table's rows as the texts of their cells, a chart's
// accessible name and description.
import { visibleText } from '../helpers/app.ts';

/** The rows of the report table `id` (header row first, total row last), each cell as read. */
export function tableRows(html: string, id: string): string[][] {
  const match = new RegExp(`<table class="report-table" id="tableau-${id}">([\\s\\S]*?)</table>`).exec(html);
  if (!match) throw new Error(`no table ${id}`);
  return [...match[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => visibleText(cell[1]!)));
}

export interface SvgChart {
  role: string | undefined;
  title: string;
  description: string;
  /** The table right after the chart's figure. */
  nextTableId: string | undefined;
}

/** Every inline chart: its role, the title and description its aria-labelledby points at. */
export function charts(html: string): SvgChart[] {
  return [...html.matchAll(/<svg([^>]*)>([\s\S]*?)<\/svg>([\s\S]*?)<table class="report-table" id="tableau-([^"]+)"/g)]
    .filter((m) => !m[3]!.includes('<svg'))
    .map((m) => {
      const attributes = m[1]!;
      const ids = /aria-labelledby="([^"]+)"/.exec(attributes)?.[1]?.split(' ') ?? [];
      const textOf = (id: string | undefined) => (id ? visibleText(new RegExp(`<(?:title|desc) id="${id}">([\\s\\S]*?)</(?:title|desc)>`).exec(m[2]!)?.[1] ?? '') : '');
      return { role: /role="([^"]+)"/.exec(attributes)?.[1], title: textOf(ids[0]), description: textOf(ids[1]), nextTableId: m[4] };
    });
}
