// The report's tables as data: a caption, columns, rows of typed cells and a total row. The same
// table is an HTML table on the figures page and the bilan, the data of a chart, and a CSV file of
// the bilan; how a cell reads is decided once, in cells.ts.
import { ACCESS_FEATURE_INFO, AUDIENCE_LABELS, CATEGORY_LABELS, ORGANISATION_KIND_LABELS } from '../domain/vocabulary.ts';
import { count, day, hidden, share, text, type Cell } from './cells.ts';
import type { EditionReport, Figures, NeedFigures } from './figures.ts';
import { hiddenCells, type Hidden } from './suppression.ts';

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
    caption: 'Événements publiés par jour',
    columns: [label('Jour'), number('Événements')],
    rows: f.events.byDay.map((d) => [day(d.day, !d.inEdition), count(d.events)]),
    total: [text('Total'), count(f.events.published)],
  };
}

export function categoriesTable(f: Figures): ReportTable {
  return {
    id: 'evenements-par-type',
    caption: 'Événements publiés par type',
    columns: [label('Type d’événement'), number('Événements')],
    rows: f.events.byCategory.map((c) => [text(CATEGORY_LABELS[c.category]), count(c.events)]),
    total: [text('Total'), count(f.events.published)],
  };
}

export function audiencesTable(f: Figures): ReportTable {
  return {
    id: 'evenements-par-public',
    caption: 'Événements publiés par public',
    columns: [label('Public'), number('Événements')],
    rows: f.events.byAudience.map((a) => [text(AUDIENCE_LABELS[a.audience]), count(a.events)]),
    total: [text('Total'), count(f.events.published)],
  };
}

/** Every commune of the territory's list, those without any event included. */
export function communesTable(f: Figures): ReportTable {
  return {
    id: 'couverture-communes',
    caption: 'Événements publiés par commune : toutes les communes du territoire',
    columns: [label('Commune'), number('Événements')],
    rows: [
      ...f.coverage.communes.map((c) => [text(c.listed ? c.commune : `${c.commune} (hors de la liste du territoire)`), count(c.events)]),
      ...(f.coverage.online > 0 ? [[text('En ligne uniquement'), count(f.coverage.online)]] : []),
    ],
    total: [text('Total'), count(f.events.published)],
  };
}

/** National: each territory's commune list and how much of it the edition reached. */
export function territoryCoverageTable(report: EditionReport): ReportTable {
  const row = (name: string, f: Figures) => [text(name), count(f.coverage.listed), count(f.coverage.covered), share(f.coverage.covered, f.coverage.listed), count(f.events.published)];
  return {
    id: 'couverture-territoires',
    caption: 'Communes touchées, par territoire',
    columns: [label('Territoire'), number('Communes de la liste'), number('Communes avec au moins un événement'), number('Part des communes touchées'), number('Événements publiés')],
    rows: report.territories.map((t) => row(t.territory.name, t)),
    total: row('Total national', report.total),
  };
}

const newOnes = (n: number) => (n === 0 ? 'aucune nouvelle' : n === 1 ? '1 nouvelle' : `${n} nouvelles`);

export function organisationsTable(f: Figures): ReportTable {
  return {
    id: 'organisations',
    caption: 'Organisations partenaires et leurs événements publiés',
    columns: [label('Organisation'), label('Type de structure'), number('Événements publiés'), label('Nouvelle cette année')],
    rows: f.organisations.map((o) => [text(o.name), text(ORGANISATION_KIND_LABELS[o.kind]), count(o.events), text(o.isNew ? 'oui' : 'non')]),
    total: [text('Total'), text(''), count(f.events.published), text(newOnes(f.organisations.filter((o) => o.isNew).length))],
  };
}

export function partnersTable(f: Figures): ReportTable {
  const sum = (pick: (k: Figures['partnersByKind'][number]) => number) => f.partnersByKind.reduce((n, k) => n + pick(k), 0);
  return {
    id: 'partenaires-par-type',
    caption: 'Organisations partenaires (au moins un événement publié), par type de structure',
    columns: [label('Type de structure'), number('Organisations'), number('Dont nouvelles cette année')],
    rows: f.partnersByKind.map((k) => [text(ORGANISATION_KIND_LABELS[k.kind]), count(k.organisations), count(k.newThisYear)]),
    total: [text('Total'), count(sum((k) => k.organisations)), count(sum((k) => k.newThisYear))],
  };
}

/** Registrations, seats, arrivals, waiting lists and cancellations of the published events. */
export function audienceReachedTable(f: Figures): ReportTable {
  const r = f.registrations;
  const withCapacity = f.events.published - f.events.freeEntry;
  return {
    id: 'public-touche',
    caption: 'Inscriptions et présence (événements publiés)',
    columns: [label('Indicateur'), number('Valeur')],
    rows: [
      [text('Inscriptions confirmées'), count(r.confirmed)],
      [text('Places réservées (personnes et accompagnant·es)'), count(r.seats)],
      [text('Dont accompagnant·es'), count(r.seats - r.confirmed)],
      [text('Inscriptions faites pour quelqu’un d’autre'), count(r.onBehalf)],
      [text(`Places offertes (${withCapacity} événements sur inscription)`), count(f.events.capacity)],
      [text('Taux de remplissage (places réservées / places offertes)'), share(r.seats, f.events.capacity)],
      [text('Événements en entrée libre (sans inscription)'), count(f.events.freeEntry)],
      [text('Événements où les arrivées ont été notées'), count(r.eventsWithCheckIn)],
      [text('Arrivées notées'), count(r.checkedIn)],
      [text('Taux de présence (arrivées / inscriptions confirmées, là où les arrivées ont été notées)'), share(r.checkedIn, r.confirmedAtCheckedEvents)],
      [text('Inscriptions en liste d’attente'), count(r.waitlisted)],
      [text('Places demandées en liste d’attente'), count(r.waitlistedSeats)],
      [text('Événements avec une liste d’attente'), count(r.eventsWithWaitlist)],
      [text('Inscriptions annulées'), count(r.cancelled)],
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
  const lines = [...f.needs.map((n) => ({ name: ACCESS_FEATURE_INFO[n.category].label, ...n })), { name: 'Tous les besoins', ...needsTotal(f.needs) }];
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
    caption: 'Besoins d’accessibilité déclarés par les personnes inscrites, et réponses des organisations',
    columns: [
      label('Besoin'),
      number('Déclarés'),
      number('Prévus'),
      number('Pas possibles'),
      number('Sans réponse'),
      number('Part des besoins satisfaits'),
      number('Déclarés après la date limite'),
      number('Répondus avant la date limite'),
      number('Part répondue à temps (besoins déclarés à temps)'),
    ],
    rows: cells.slice(0, -1),
    total: cells.at(-1)!,
  };
}

/** National: the main figures of each territory side by side. */
export function territoriesTable(report: EditionReport, options: { suppress: boolean }): ReportTable {
  const all = [...report.territories, { territory: { name: 'Total national' }, ...report.total }];
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
    caption: 'Chiffres par territoire',
    columns: [
      label('Territoire'),
      number('Événements publiés'),
      number('Communes touchées'),
      number('Organisations partenaires'),
      number('Inscriptions confirmées'),
      number('Places réservées'),
      number('Besoins déclarés'),
      number('Besoins prévus'),
      number('Part des besoins satisfaits'),
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
    caption: 'Chiffres clés',
    columns: [label('Indicateur'), number('Valeur')],
    rows: [
      [text('Événements publiés'), count(f.events.published)],
      [text('Événements annulés'), count(f.events.cancelled)],
      [text('Événements proposant au moins un aménagement d’accessibilité'), count(f.events.withAccessibility)],
      [text('Communes avec au moins un événement'), count(f.coverage.covered)],
      [text(national ? 'Communes des listes des territoires' : 'Communes de la liste du territoire'), count(f.coverage.listed)],
      [text('Organisations partenaires'), count(f.organisations.length)],
      [text('Dont nouvelles cette année'), count(f.organisations.filter((o) => o.isNew).length)],
      [text('Inscriptions confirmées'), count(f.registrations.confirmed)],
      [text('Places réservées (personnes et accompagnant·es)'), count(f.registrations.seats)],
      [text('Arrivées notées'), count(f.registrations.checkedIn)],
      [text('Besoins d’accessibilité déclarés'), declared!],
      [text('Besoins satisfaits (aménagement prévu)'), planned!],
      [text('Part des besoins satisfaits'), met!],
    ],
  };
}
