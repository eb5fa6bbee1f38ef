// What the two report pages hold, section by section, built from one EditionReport:
//  - the figures (« Chiffres de l'édition »): the coordination's working view, exact counts;
//  - the bilan (« Bilan de l'édition »): the sections a national bilan asks for, meant to be sent
//    to partners and the national coordination (printed, or as CSV files), small need counts hidden.
// One template renders both (views/reports/report.eta); each chart is followed by its data table.
import { needsChart, communesChart, eventsPerDayChart, territoryCoverageChart } from './charts.ts';
import type { EditionReport, Figures } from './figures.ts';
import { renderChart, type Chart } from './svg-chart.ts';
import { SMALL_COUNT_LIMIT } from './suppression.ts';
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

/** The suppression rule, as the bilan page says it. */
export const SUPPRESSION_RULE = [
  `Pour qu’aucune personne ne puisse être reconnue, les nombres de besoins de 1 à ${SMALL_COUNT_LIMIT - 1} sont remplacés par « < ${SMALL_COUNT_LIMIT} » dans ce bilan et ses fichiers CSV (0 reste affiché).`,
  'Quand un nombre masqué pourrait être retrouvé par soustraction (à partir du total de sa ligne ou de sa colonne), un autre nombre de la même ligne ou colonne est masqué aussi : il est alors écrit « masqué ». Une part calculée à partir d’un nombre masqué est masquée.',
  'Les chiffres exacts restent sur la page « Chiffres de l’édition », réservée à la coordination.',
];

const NEEDS_INTRO = [
  'Un besoin est satisfait quand l’organisation a prévu l’aménagement demandé. La date limite est celle des demandes d’aménagement de chaque événement (son début quand il n’en a pas). Les besoins des personnes en liste d’attente sont comptés ; ceux d’une inscription annulée ou effacée ne le sont pas.',
  'Ces nombres restent justes après l’effacement automatique des besoins, 30 jours après chaque événement : seuls des totaux par événement et par catégorie sont gardés.',
];

/** A chart and its data, or the data alone when there is nothing to draw. */
const withChart = (chart: Chart | null, table: ReportTable): Block => (chart ? { chart, table } : { table });

function coverageBlock(report: EditionReport): Block {
  return report.national
    ? { chart: territoryCoverageChart(report), table: territoryCoverageTable(report) }
    : withChart(communesChart(report.total), communesTable(report.total));
}

function coverageIntro(report: EditionReport): string[] {
  if (report.national) return ['Pour chaque territoire, les communes de sa liste qui ont accueilli au moins un événement publié.'];
  return report.total.coverage.listed > 0
    ? ['Toutes les communes de la liste du territoire, y compris celles où aucun événement n’est publié.']
    : ['Ce territoire n’a pas encore de liste de communes (l’administration la saisit) : les communes sont celles que les lieux indiquent.'];
}

function partnerBlocks(report: EditionReport, f: Figures): Block[] {
  return [{ table: partnersTable(f) }, ...(report.national ? [] : [{ table: organisationsTable(f) }])];
}

function cancelledNote(cancelled: number): string {
  if (cancelled === 0) return 'aucun n’a été annulé après publication.';
  return cancelled === 1 ? 'celui annulé après publication n’est pas compté.' : `les ${cancelled} annulés après publication ne sont pas comptés.`;
}

export function figuresSections(report: EditionReport): Section[] {
  const f = report.total;
  return [
    ...(report.national ? [{ id: 'territoires', heading: 'Par territoire', intro: [], blocks: [{ table: territoriesTable(report, { suppress: false }) }] }] : []),
    {
      id: 'evenements',
      heading: 'Événements',
      intro: [`Les événements publiés (${f.events.published}) ; ${cancelledNote(f.events.cancelled)} Les jours sont ceux du fuseau horaire de chaque territoire.`],
      blocks: [{ chart: eventsPerDayChart(f), table: eventsByDayTable(f) }, { table: categoriesTable(f) }, { table: audiencesTable(f) }],
    },
    { id: 'couverture', heading: 'Couverture du territoire', intro: coverageIntro(report), blocks: [coverageBlock(report)] },
    { id: 'partenaires', heading: 'Organisations partenaires', intro: ['Les organisations qui ont au moins un événement publié ; nouvelles : sans événement publié lors d’une édition précédente.'], blocks: partnerBlocks(report, f) },
    { id: 'inscriptions', heading: 'Inscriptions et présence', intro: [], blocks: [{ table: audienceReachedTable(f) }] },
    {
      id: 'besoins',
      heading: 'Besoins d’accessibilité',
      intro: [...NEEDS_INTRO, 'Chiffres exacts : cette page est réservée à la coordination. Le bilan, fait pour être diffusé, masque les petits nombres.'],
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
    { id: 'chiffres-cles', heading: 'Chiffres clés', intro: [], blocks: [{ table: keyFiguresTable(f, needs, report.national) }] },
    { id: 'geographie', heading: 'Géographie des événements', intro: coverageIntro(report), blocks: [coverageBlock(report)] },
    {
      id: 'types',
      heading: 'Types d’événements',
      intro: ['Les événements publiés, par type, par public et par jour.'],
      blocks: [{ table: categoriesTable(f) }, { table: audiencesTable(f) }, { chart: eventsPerDayChart(f), table: eventsByDayTable(f) }],
    },
    { id: 'partenaires', heading: 'Partenaires', intro: ['Les organisations qui ont au moins un événement publié ; nouvelles : sans événement publié lors d’une édition précédente.'], blocks: partnerBlocks(report, f) },
    { id: 'public', heading: 'Public touché', intro: [], blocks: [{ table: audienceReachedTable(f) }] },
    {
      id: 'accessibilite',
      heading: 'Accessibilité demandée et apportée',
      intro: [`${f.events.withAccessibility} événement${f.events.withAccessibility > 1 ? 's' : ''} sur ${f.events.published} propos${f.events.withAccessibility > 1 ? 'aient' : 'ait'} au moins un aménagement (LSF, FALC, accès fauteuil, espace calme…).`, ...NEEDS_INTRO, ...SUPPRESSION_RULE],
      blocks: [withChart(needsChart(f, (n) => drawn.has(n.category)), needs)],
    },
    ...(report.national ? [{ id: 'territoires', heading: 'Par territoire', intro: [], blocks: [{ table: territoriesTable(report, { suppress: true }) }] }] : []),
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
