// The report's tables as data: a caption, columns, rows of typed cells and a total row. The same
// table is an HTML table on the figures page and the bilan, the data of a chart, and a CSV file of
// the bilan; how a cell reads is decided once, in cells.ts.
import { ACCESS_FEATURE_INFO, AUDIENCE_LABELS, CATEGORY_LABELS, ORGANISATION_KIND_LABELS } from '../domain/vocabulary.ts';
import { count, day, hidden, share, text, type Cell } from './cells.ts';
import type { EditionReport, Figures, NeedFigures } from './figures.ts';
import { hiddenCells, type Hidden } from './suppression.ts';
import { formatNumber, t } from '../i18n/index.ts';

export interface Column {
  label: string;
  /** Right-aligned, counted: every column but the first, the row's name, unless said otherwise. */
  numeric?: boolean;
}

export interface ReportTable {
  /** Also the CSV file's name. */
  id: string;
  caption: string;
  columns: Column[];
  /** The first cell of a row names it (a row header). */
  rows: Cell[][];
  /** The total row, if any. */
  total?: Cell[];
}

const label = (name: string): Column => ({ label: name, numeric: false });
const number = (name: string): Column => ({ label: name, numeric: true });

export function eventsByDayTable(f: Figures): ReportTable {
  return {
    id: 'evenements-par-jour',
    caption: t('reports:table.eventsByDay.caption'),
    columns: [label(t('reports:table.eventsByDay.day')), number(t('reports:table.events'))],
    rows: f.events.byDay.map((d) => [day(d.day, !d.inEdition), count(d.events)]),
    total: [text(t('reports:table.total')), count(f.events.published)],
  };
}

export function categoriesTable(f: Figures): ReportTable {
  return {
    id: 'evenements-par-type',
    caption: t('reports:table.categories.caption'),
    columns: [label(t('reports:table.categories.category')), number(t('reports:table.events'))],
    rows: f.events.byCategory.map((c) => [text(CATEGORY_LABELS[c.category]), count(c.events)]),
    total: [text(t('reports:table.total')), count(f.events.published)],
  };
}

export function audiencesTable(f: Figures): ReportTable {
  return {
    id: 'evenements-par-public',
    caption: t('reports:table.audiences.caption'),
    columns: [label(t('reports:table.audiences.audience')), number(t('reports:table.events'))],
    rows: f.events.byAudience.map((a) => [text(AUDIENCE_LABELS[a.audience]), count(a.events)]),
    total: [text(t('reports:table.total')), count(f.events.published)],
  };
}

/** Every commune of the territory's list, those without any event included. */
export function communesTable(f: Figures): ReportTable {
  return {
    id: 'couverture-communes',
    caption: t('reports:table.communes.caption'),
    columns: [label(t('reports:table.communes.commune')), number(t('reports:table.events'))],
    rows: [
      ...f.coverage.communes.map((c) => [text(c.listed ? c.commune : t('reports:table.communes.unlisted', { commune: c.commune })), count(c.events)]),
      ...(f.coverage.online > 0 ? [[text(t('reports:table.communes.onlineOnly')), count(f.coverage.online)]] : []),
    ],
    total: [text(t('reports:table.total')), count(f.events.published)],
  };
}

/** National: each territory's commune list and how much of it the edition reached. */
export function territoryCoverageTable(report: EditionReport): ReportTable {
  const row = (name: string, f: Figures) => [text(name), count(f.coverage.listed), count(f.coverage.covered), share(f.coverage.covered, f.coverage.listed), count(f.events.published)];
  return {
    id: 'couverture-territoires',
    caption: t('reports:table.territoryCoverage.caption'),
    columns: [
      label(t('reports:table.territory')),
      number(t('reports:table.territoryCoverage.listed')),
      number(t('reports:table.territoryCoverage.covered')),
      number(t('reports:table.territoryCoverage.share')),
      number(t('reports:table.publishedEvents')),
    ],
    rows: report.territories.map((t) => row(t.territory.name, t)),
    total: row(t('reports:table.nationalTotal'), report.total),
  };
}

const newOnes = (n: number) => t('reports:table.organisations.newOnes', { count: n, n: formatNumber(n) });

export function organisationsTable(f: Figures): ReportTable {
  return {
    id: 'organisations',
    caption: t('reports:table.organisations.caption'),
    columns: [label(t('reports:table.organisations.organisation')), label(t('reports:table.kind')), number(t('reports:table.publishedEvents')), label(t('reports:table.organisations.isNew'))],
    rows: f.organisations.map((o) => [text(o.name), text(ORGANISATION_KIND_LABELS[o.kind]), count(o.events), text(o.isNew ? t('reports:table.yes') : t('reports:table.no'))]),
    total: [text(t('reports:table.total')), text(''), count(f.events.published), text(newOnes(f.organisations.filter((o) => o.isNew).length))],
  };
}

export function partnersTable(f: Figures): ReportTable {
  const sum = (pick: (k: Figures['partnersByKind'][number]) => number) => f.partnersByKind.reduce((n, k) => n + pick(k), 0);
  return {
    id: 'partenaires-par-type',
    caption: t('reports:table.partners.caption'),
    columns: [label(t('reports:table.kind')), number(t('reports:table.partners.organisations')), number(t('reports:table.newThisYear'))],
    rows: f.partnersByKind.map((k) => [text(ORGANISATION_KIND_LABELS[k.kind]), count(k.organisations), count(k.newThisYear)]),
    total: [text(t('reports:table.total')), count(sum((k) => k.organisations)), count(sum((k) => k.newThisYear))],
  };
}

/** Registrations, seats, arrivals, waiting lists and cancellations of the published events. */
export function audienceReachedTable(f: Figures): ReportTable {
  const r = f.registrations;
  const withCapacity = f.events.published - f.events.freeEntry;
  return {
    id: 'public-touche',
    caption: t('reports:table.audienceReached.caption'),
    columns: [label(t('reports:table.indicator')), number(t('reports:table.value'))],
    rows: [
      [text(t('reports:table.confirmedRegistrations')), count(r.confirmed)],
      [text(t('reports:table.bookedSeats')), count(r.seats)],
      [text(t('reports:table.audienceReached.companions')), count(r.seats - r.confirmed)],
      [text(t('reports:table.audienceReached.onBehalf')), count(r.onBehalf)],
      [text(t('reports:table.audienceReached.offered', { count: withCapacity, n: formatNumber(withCapacity) })), count(f.events.capacity)],
      [text(t('reports:table.audienceReached.fillRate')), share(r.seats, f.events.capacity)],
      [text(t('reports:table.audienceReached.freeEntry')), count(f.events.freeEntry)],
      [text(t('reports:table.audienceReached.eventsWithCheckIn')), count(r.eventsWithCheckIn)],
      [text(t('reports:table.arrivals')), count(r.checkedIn)],
      [text(t('reports:table.audienceReached.attendanceRate')), share(r.checkedIn, r.confirmedAtCheckedEvents)],
      [text(t('reports:table.audienceReached.waitlisted')), count(r.waitlisted)],
      [text(t('reports:table.audienceReached.waitlistedSeats')), count(r.waitlistedSeats)],
      [text(t('reports:table.audienceReached.eventsWithWaitlist')), count(r.eventsWithWaitlist)],
      [text(t('reports:table.audienceReached.cancelled')), count(r.cancelled)],
    ],
  };
}

/** The need counts of a row, in the order of the columns below. */
const NEED_COUNTS = ['declared', 'planned', 'notPossible', 'unanswered', 'declaredLate', 'answeredByDeadline'] as const;

function needsTotal(needs: NeedFigures[]): Omit<NeedFigures, 'category'> {
  const sum = Object.fromEntries(NEED_COUNTS.map((k) => [k, 0])) as Omit<NeedFigures, 'category'>;
  for (const n of needs) for (const k of NEED_COUNTS) sum[k] += n[k];
  return sum;
}

/** A count, or why it is hidden. */
const shown = (n: number, why: Hidden): Cell => (why ? hidden(why) : count(n));

/**
 * Needs by category: declared, planned, not possible, unanswered, share met; declared after the
 * deadline, answered by it. `suppress`: small counts hidden (suppression.ts), for what leaves the
 * platform; the figures page, for the coordination only, shows them exactly.
 */
export function needsTable(f: Figures, options: { suppress: boolean }): ReportTable {
  const lines = [...f.needs.map((n) => ({ name: ACCESS_FEATURE_INFO[n.category].label, ...n })), { name: t('reports:table.needs.allNeeds'), ...needsTotal(f.needs) }];
  const grid = lines.map((l) => NEED_COUNTS.map((k) => l[k]));
  const hide: Hidden[][] = options.suppress
    ? hiddenCells({ rows: grid, rowSum: { whole: 0, parts: [1, 2, 3] }, totalRow: true })
    : grid.map((row) => row.map(() => null));
  const cells = lines.map((l, i) => {
    const why = (k: (typeof NEED_COUNTS)[number]) => hide[i]![NEED_COUNTS.indexOf(k)]!;
    const ratio = (part: (typeof NEED_COUNTS)[number], n: number, of: number, others: Hidden[]) => (why(part) || others.some(Boolean) ? hidden('secondary') : share(n, of));
    return [
      text(l.name),
      ...NEED_COUNTS.slice(0, 4).map((k) => shown(l[k], why(k))),
      ratio('planned', l.planned, l.declared, [why('declared')]),
      shown(l.declaredLate, why('declaredLate')),
      shown(l.answeredByDeadline, why('answeredByDeadline')),
      ratio('answeredByDeadline', l.answeredByDeadline, l.declared - l.declaredLate, [why('declared'), why('declaredLate')]),
    ];
  });
  return {
    id: 'besoins-par-categorie',
    caption: t('reports:table.needs.caption'),
    columns: [
      label(t('reports:table.needs.need')),
      number(t('reports:table.needs.declared')),
      number(t('reports:table.needs.planned')),
      number(t('reports:table.needs.notPossible')),
      number(t('reports:table.needs.unanswered')),
      number(t('reports:table.metShare')),
      number(t('reports:table.needs.declaredLate')),
      number(t('reports:table.needs.answeredByDeadline')),
      number(t('reports:table.needs.answeredInTimeShare')),
    ],
    rows: cells.slice(0, -1),
    total: cells.at(-1)!,
  };
}

/** National: the main figures of each territory side by side. */
export function territoriesTable(report: EditionReport, options: { suppress: boolean }): ReportTable {
  const all = [...report.territories, { territory: { name: t('reports:table.nationalTotal') }, ...report.total }];
  const needs = all.map((f) => needsTotal(f.needs));
  const hide: Hidden[][] = options.suppress
    ? hiddenCells({ rows: needs.map((n) => [n.declared, n.planned]), totalRow: true })
    : needs.map(() => [null, null]);
  const cells = all.map((f, i) => {
    const [declaredHidden, plannedHidden] = hide[i]!;
    return [
      text(f.territory.name),
      count(f.events.published),
      count(f.coverage.covered),
      count(f.organisations.length),
      count(f.registrations.confirmed),
      count(f.registrations.seats),
      shown(needs[i]!.declared, declaredHidden!),
      shown(needs[i]!.planned, plannedHidden!),
      declaredHidden || plannedHidden ? hidden('secondary') : share(needs[i]!.planned, needs[i]!.declared),
    ];
  });
  return {
    id: 'territoires',
    caption: t('reports:table.territories.caption'),
    columns: [
      label(t('reports:table.territory')),
      number(t('reports:table.publishedEvents')),
      number(t('reports:table.territories.covered')),
      number(t('reports:table.partnerOrganisations')),
      number(t('reports:table.confirmedRegistrations')),
      number(t('reports:table.territories.bookedSeats')),
      number(t('reports:table.territories.declared')),
      number(t('reports:table.territories.planned')),
      number(t('reports:table.metShare')),
    ],
    rows: cells.slice(0, -1),
    total: cells.at(-1)!,
  };
}

/** The bilan's first table: a handful of figures, the needs' as the (suppressed) needs table has them. */
export function keyFiguresTable(f: Figures, needs: ReportTable, national: boolean): ReportTable {
  const [, declared, planned, , , met] = needs.total!;
  return {
    id: 'chiffres-cles',
    caption: t('reports:table.keyFigures.caption'),
    columns: [label(t('reports:table.indicator')), number(t('reports:table.value'))],
    rows: [
      [text(t('reports:table.publishedEvents')), count(f.events.published)],
      [text(t('reports:table.keyFigures.cancelledEvents')), count(f.events.cancelled)],
      [text(t('reports:table.keyFigures.withAccessibility')), count(f.events.withAccessibility)],
      [text(t('reports:table.keyFigures.covered')), count(f.coverage.covered)],
      [text(national ? t('reports:table.keyFigures.listedNational') : t('reports:table.keyFigures.listed')), count(f.coverage.listed)],
      [text(t('reports:table.partnerOrganisations')), count(f.organisations.length)],
      [text(t('reports:table.newThisYear')), count(f.organisations.filter((o) => o.isNew).length)],
      [text(t('reports:table.confirmedRegistrations')), count(f.registrations.confirmed)],
      [text(t('reports:table.bookedSeats')), count(f.registrations.seats)],
      [text(t('reports:table.arrivals')), count(f.registrations.checkedIn)],
      [text(t('reports:table.keyFigures.declared')), declared!],
      [text(t('reports:table.keyFigures.met')), planned!],
      [text(t('reports:table.metShare')), met!],
    ],
  };
}
