// The report's charts, as Vega-Lite specs with their data: events per day, coverage of the
// territory's communes (of each territory, nationally), and needs met or not by category. Each
// chart's description says in words what it shows; its data follows it as a table in the page.
import type { TopLevelSpec } from 'vega-lite';
import { ACCESS_FEATURE_INFO } from '../domain/vocabulary.ts';
import { formatCalendarDay } from '../lib/time.ts';
import type { EditionReport, Figures, NeedFigures } from './figures.ts';
import type { Chart } from './svg-chart.ts';
import { currentLanguage, formatNumber, t } from '../i18n/index.ts';

const WIDTH = 560;
const ROW_HEIGHT = 26;

/** A count and its words, in the language of the moment (`key` has its plural forms). */
const counted = (n: number) => ({ count: n, n: formatNumber(n) });

const weekdays = new Map<string, Intl.DateTimeFormat>();
/** « lun. 5/10 » (« Mon 5/10 »): short enough for 14 bars side by side. */
const shortDay = (isoDay: string) => {
  const { locale } = currentLanguage();
  let format = weekdays.get(locale);
  if (!format) weekdays.set(locale, (format = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' })));
  const weekday = format.format(new Date(`${isoDay}T12:00:00Z`));
  return t('reports:chart.shortDay', { weekday, day: Number(isoDay.slice(8, 10)), month: Number(isoDay.slice(5, 7)) });
};

export function eventsPerDayChart(f: Figures): Chart {
  const days = f.events.byDay;
  const busiest = days.reduce((best, d) => (d.events > best.events ? d : best), days[0]!);
  const outside = days.filter((d) => !d.inEdition).reduce((n, d) => n + d.events, 0);
  const description =
    f.events.published === 0
      ? t('reports:chart.days.none')
      : t('reports:chart.days.description', {
          published: t('reports:chart.days.published', counted(f.events.published)),
          day: formatCalendarDay(busiest.day),
          events: t('reports:chart.events', counted(busiest.events)),
        }) + (outside > 0 ? ` ${t('reports:chart.days.outside', counted(outside))}` : '');
  const spec: TopLevelSpec = {
    width: WIDTH,
    height: 220,
    data: { values: days.map((d) => ({ jour: shortDay(d.day), evenements: d.events })) },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'jour', type: 'ordinal', sort: null, title: null, axis: { labelAngle: -45 } },
      y: { field: 'evenements', type: 'quantitative', title: t('reports:chart.eventsAxis'), axis: { tickMinStep: 1, format: 'd' } },
    },
  };
  return { id: 'graphique-jours', title: t('reports:chart.days.title'), description, spec };
}

/** One bar per commune of the list (zero included): the territory's coverage at a glance; null
 *  when there is no commune to draw (no list, no venue). */
export function communesChart(f: Figures): Chart | null {
  if (f.coverage.communes.length === 0) return null;
  const empty = f.coverage.communes.filter((c) => c.listed && c.events === 0).map((c) => c.commune);
  const description =
    f.coverage.listed === 0
      ? t('reports:chart.communes.unlisted')
      : t('reports:chart.communes.covered', { ...counted(f.coverage.covered), listed: formatNumber(f.coverage.listed) }) +
        ` ${empty.length > 0 ? t('reports:chart.communes.empty', { communes: empty.join(', ') }) : t('reports:chart.communes.allCovered')}`;
  const spec: TopLevelSpec = {
    width: WIDTH - 200,
    height: Math.max(1, f.coverage.communes.length) * ROW_HEIGHT,
    data: { values: f.coverage.communes.map((c) => ({ commune: c.listed ? c.commune : t('reports:chart.communes.unlistedCommune', { commune: c.commune }), evenements: c.events })) },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'commune', type: 'nominal', sort: null, title: null },
      x: { field: 'evenements', type: 'quantitative', title: t('reports:chart.eventsAxis'), axis: { tickMinStep: 1, format: 'd' } },
    },
  };
  return { id: 'graphique-communes', title: t('reports:chart.communes.title'), description, spec };
}

/** Nationally: for each territory, its communes with and without any event. */
export function territoryCoverageChart(report: EditionReport): Chart {
  const total = report.total.coverage;
  const description = t('reports:chart.territories.description', {
    ...counted(total.covered),
    listed: formatNumber(total.listed),
    territories: t('reports:chart.territories.territories', counted(report.territories.length)),
  });
  const withEvents = t('reports:chart.territories.withEvents');
  const withoutEvents = t('reports:chart.territories.withoutEvents');
  const spec: TopLevelSpec = {
    width: WIDTH - 200,
    height: Math.max(1, report.territories.length) * ROW_HEIGHT,
    data: {
      values: report.territories.flatMap((each) => [
        { territoire: each.territory.name, communes: each.coverage.covered, etat: withEvents, ordre: 0 },
        { territoire: each.territory.name, communes: each.coverage.listed - each.coverage.covered, etat: withoutEvents, ordre: 1 },
      ]),
    },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'territoire', type: 'nominal', sort: null, title: null },
      x: { field: 'communes', type: 'quantitative', title: t('reports:chart.territories.axis'), axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'etat', type: 'nominal', title: null, scale: { domain: [withEvents, withoutEvents], range: ['#1f5f9e', '#6f8197'] } },
      order: { field: 'ordre' },
    },
  };
  return { id: 'graphique-communes', title: t('reports:chart.territories.title'), description, spec };
}

/** The bars of a need category, in order, with their legend (read in the language of the moment). */
const needStates = () =>
  [
    { key: 'planned', label: t('reports:chart.needs.planned'), colour: '#1f5f9e' },
    { key: 'notPossible', label: t('reports:chart.needs.notPossible'), colour: '#b35900' },
    { key: 'unanswered', label: t('reports:chart.needs.unanswered'), colour: '#6b6b6b' },
  ] as const;

/**
 * Needs met or not, by category: the categories with at least one need. `drawn`: the categories
 * to draw (in the bilan, those whose counts are all shown: a bar would give a hidden count away).
 * null when there is nothing to draw (the table says it all).
 */
export function needsChart(f: Figures, drawn: (n: NeedFigures) => boolean = () => true): Chart | null {
  const rows = f.needs.filter((n) => n.declared > 0 && drawn(n));
  if (rows.length === 0) return null;
  const left = f.needs.filter((n) => n.declared > 0 && !drawn(n)).length;
  const total = rows.reduce((sum, n) => ({ declared: sum.declared + n.declared, planned: sum.planned + n.planned }), { declared: 0, planned: 0 });
  const states = needStates();
  const declared = t('reports:chart.needs.declared', counted(total.declared));
  const planned = t('reports:chart.needs.plannedCount', counted(total.planned));
  const percent = Math.round((100 * total.planned) / total.declared);
  const description =
    (left > 0 ? t('reports:chart.needs.descriptionDrawn', { declared, planned, percent }) : t('reports:chart.needs.description', { declared, planned, percent })) +
    (left > 0 ? ` ${t('reports:chart.needs.notDrawn', counted(left))}` : '');
  const spec: TopLevelSpec = {
    width: WIDTH - 200,
    height: Math.max(1, rows.length) * ROW_HEIGHT,
    data: {
      values: rows.flatMap((n) => states.map((s, order) => ({ besoin: ACCESS_FEATURE_INFO[n.category].label, etat: s.label, nombre: n[s.key], ordre: order }))),
    },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'besoin', type: 'nominal', sort: null, title: null },
      x: { field: 'nombre', type: 'quantitative', title: t('reports:chart.needs.axis'), axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'etat', type: 'nominal', title: null, scale: { domain: states.map((s) => s.label), range: states.map((s) => s.colour) } },
      order: { field: 'ordre' },
    },
  };
  return { id: 'graphique-besoins', title: t('reports:chart.needs.title'), description, spec };
}
