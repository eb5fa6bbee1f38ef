// What the two report pages hold, section by section, built from one EditionReport:
//  - the figures (« Chiffres de l'édition »): the coordination's working view, exact counts;
//  - the bilan (« Bilan de l'édition »): the sections a national bilan asks for, meant to be sent
//    to partners and the national coordination (printed, or as CSV files), small need counts hidden.
// One template renders both (views/reports/report.eta); each chart is followed by its data table.
import { needsChart, communesChart, eventsPerDayChart, territoryCoverageChart } from './charts.ts';
import type { EditionReport, Figures } from './figures.ts';
import { renderChart, type Chart } from './svg-chart.ts';
import { SMALL_COUNT_LIMIT } from './suppression.ts';
import { formatNumber, t } from '../i18n/index.ts';
import {
  audienceReachedTable,
  audiencesTable,
  categoriesTable,
  communesTable,
  eventsByDayTable,
  keyFiguresTable,
  needsTable,
  organisationsTable,
  partnersTable,
  territoriesTable,
  territoryCoverageTable,
  type ReportTable,
} from './tables.ts';

export type Block = { table: ReportTable } | { chart: Chart; table: ReportTable };

export interface Section {
  id: string;
  heading: string;
  /** Paragraphs before the blocks. */
  intro: string[];
  blocks: Block[];
}

/** The suppression rule, as the bilan page says it (in the language of the moment). */
export function suppressionRule(): string[] {
  return [
    t('reports:section.suppression.small', { max: SMALL_COUNT_LIMIT - 1, limit: SMALL_COUNT_LIMIT }),
    t('reports:section.suppression.secondary'),
    t('reports:section.suppression.exact'),
  ];
}

const needsIntro = () => [t('reports:section.needsIntro.met'), t('reports:section.needsIntro.kept')];
const partnersIntro = () => t('reports:section.partnersIntro');

/** A chart and its data, or the data alone when there is nothing to draw. */
const withChart = (chart: Chart | null, table: ReportTable): Block => (chart ? { chart, table } : { table });

function coverageBlock(report: EditionReport): Block {
  return report.national
    ? { chart: territoryCoverageChart(report), table: territoryCoverageTable(report) }
    : withChart(communesChart(report.total), communesTable(report.total));
}

function coverageIntro(report: EditionReport): string[] {
  if (report.national) return [t('reports:section.coverageIntro.national')];
  return report.total.coverage.listed > 0
    ? [t('reports:section.coverageIntro.listed')]
    : [t('reports:section.coverageIntro.unlisted')];
}

function partnerBlocks(report: EditionReport, f: Figures): Block[] {
  return [{ table: partnersTable(f) }, ...(report.national ? [] : [{ table: organisationsTable(f) }])];
}

function cancelledNote(cancelled: number): string {
  return t('reports:section.cancelledNote', { count: cancelled, n: formatNumber(cancelled) });
}

export function figuresSections(report: EditionReport): Section[] {
  const f = report.total;
  return [
    ...(report.national ? [{ id: 'territoires', heading: t('reports:section.heading.byTerritory'), intro: [], blocks: [{ table: territoriesTable(report, { suppress: false }) }] }] : []),
    {
      id: 'evenements',
      heading: t('reports:section.heading.events'),
      intro: [t('reports:section.eventsIntro', { published: formatNumber(f.events.published), cancelled: cancelledNote(f.events.cancelled) })],
      blocks: [{ chart: eventsPerDayChart(f), table: eventsByDayTable(f) }, { table: categoriesTable(f) }, { table: audiencesTable(f) }],
    },
    { id: 'couverture', heading: t('reports:section.heading.coverage'), intro: coverageIntro(report), blocks: [coverageBlock(report)] },
    { id: 'partenaires', heading: t('reports:section.heading.partnerOrganisations'), intro: [partnersIntro()], blocks: partnerBlocks(report, f) },
    { id: 'inscriptions', heading: t('reports:section.heading.registrations'), intro: [], blocks: [{ table: audienceReachedTable(f) }] },
    {
      id: 'besoins',
      heading: t('reports:section.heading.needs'),
      intro: [...needsIntro(), t('reports:section.exactFigures')],
      blocks: [withChart(needsChart(f), needsTable(f, { suppress: false }))],
    },
  ];
}

export function bilanSections(report: EditionReport): Section[] {
  const f = report.total;
  const needs = needsTable(f, { suppress: true });
  // A category is drawn only when none of its counts is hidden: a bar's length would show it.
  const drawn = new Set(f.needs.filter((_, i) => needs.rows[i]!.every((cell) => cell.kind !== 'hidden')).map((n) => n.category));
  return [
    { id: 'chiffres-cles', heading: t('reports:section.heading.keyFigures'), intro: [], blocks: [{ table: keyFiguresTable(f, needs, report.national) }] },
    { id: 'geographie', heading: t('reports:section.heading.geography'), intro: coverageIntro(report), blocks: [coverageBlock(report)] },
    {
      id: 'types',
      heading: t('reports:section.heading.types'),
      intro: [t('reports:section.typesIntro')],
      blocks: [{ table: categoriesTable(f) }, { table: audiencesTable(f) }, { chart: eventsPerDayChart(f), table: eventsByDayTable(f) }],
    },
    { id: 'partenaires', heading: t('reports:section.heading.partners'), intro: [partnersIntro()], blocks: partnerBlocks(report, f) },
    { id: 'public', heading: t('reports:section.heading.audienceReached'), intro: [], blocks: [{ table: audienceReachedTable(f) }] },
    {
      id: 'accessibilite',
      heading: t('reports:section.heading.accessibility'),
      intro: [
        t('reports:section.accessibilityIntro', { count: f.events.withAccessibility, n: formatNumber(f.events.withAccessibility), published: formatNumber(f.events.published) }),
        ...needsIntro(),
        ...suppressionRule(),
      ],
      blocks: [withChart(needsChart(f, (n) => drawn.has(n.category)), needs)],
    },
    ...(report.national ? [{ id: 'territoires', heading: t('reports:section.heading.byTerritory'), intro: [], blocks: [{ table: territoriesTable(report, { suppress: true }) }] }] : []),
  ];
}

/** Every table of the bilan, for its CSV files. */
export function bilanTables(report: EditionReport): ReportTable[] {
  return bilanSections(report).flatMap((s) => s.blocks.map((b) => b.table));
}

export type RenderedBlock = { table: ReportTable } | { chart: Chart; table: ReportTable; svg: string };
export interface RenderedSection extends Omit<Section, 'blocks'> {
  blocks: RenderedBlock[];
}

/** The sections with their charts drawn. */
export async function withCharts(sections: Section[]): Promise<RenderedSection[]> {
  return Promise.all(
    sections.map(async (s) => ({ ...s, blocks: await Promise.all(s.blocks.map(async (b) => ('chart' in b ? { ...b, svg: await renderChart(b.chart) } : b))) })),
  );
}
