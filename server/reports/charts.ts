// The report's charts, as Vega-Lite specs with their data: events per day, coverage of the
// territory's communes (of each territory, nationally), and needs met or not by category. Each
// chart's description says in words what it shows; its data follows it as a table in the page.
import type { TopLevelSpec } from 'vega-lite';
import { ACCESS_FEATURE_INFO } from '../domain/vocabulary.ts';
import { formatCalendarDay } from '../lib/time.ts';
import type { EditionReport, Figures, NeedFigures } from './figures.ts';
import type { Chart } from './svg-chart.ts';

const WIDTH = 560;
const ROW_HEIGHT = 26;

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('fr-FR')} ${n <= 1 ? one : many}`;
/** « lun. 5/10 »: short enough for 14 bars side by side. */
const shortDay = (isoDay: string) => {
  const [weekday] = formatCalendarDay(isoDay).split(' ');
  return `${weekday!.slice(0, 3)}. ${Number(isoDay.slice(8, 10))}/${Number(isoDay.slice(5, 7))}`;
};

export function eventsPerDayChart(f: Figures): Chart {
  const days = f.events.byDay;
  const busiest = days.reduce((best, d) => (d.events > best.events ? d : best), days[0]!);
  const outside = days.filter((d) => !d.inEdition).reduce((n, d) => n + d.events, 0);
  const description =
    f.events.published === 0
      ? 'Aucun événement publié pour cette édition.'
      : `${plural(f.events.published, 'événement publié', 'événements publiés')} ; le jour le plus chargé est le ${formatCalendarDay(busiest.day)} (${plural(busiest.events, 'événement', 'événements')}).` +
        (outside > 0 ? ` ${plural(outside, 'événement a lieu', 'événements ont lieu')} hors des dates de l’édition.` : '');
  const spec: TopLevelSpec = {
    width: WIDTH,
    height: 220,
    data: { values: days.map((d) => ({ jour: shortDay(d.day), evenements: d.events })) },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'jour', type: 'ordinal', sort: null, title: null, axis: { labelAngle: -45 } },
      y: { field: 'evenements', type: 'quantitative', title: 'Événements', axis: { tickMinStep: 1, format: 'd' } },
    },
  };
  return { id: 'graphique-jours', title: 'Événements publiés par jour', description, spec };
}

/** One bar per commune of the list (zero included): the territory's coverage at a glance; null
 *  when there is no commune to draw (no list, no venue). */
export function communesChart(f: Figures): Chart | null {
  if (f.coverage.communes.length === 0) return null;
  const empty = f.coverage.communes.filter((c) => c.listed && c.events === 0).map((c) => c.commune);
  const description =
    f.coverage.listed === 0
      ? 'Ce territoire n’a pas de liste de communes : les communes sont celles que les lieux indiquent.'
      : `${plural(f.coverage.covered, 'commune', 'communes')} sur ${f.coverage.listed} ${f.coverage.covered <= 1 ? 'a' : 'ont'} au moins un événement.` +
        (empty.length > 0 ? ` Sans aucun événement : ${empty.join(', ')}.` : ' Toutes les communes en ont au moins un.');
  const spec: TopLevelSpec = {
    width: WIDTH - 200,
    height: Math.max(1, f.coverage.communes.length) * ROW_HEIGHT,
    data: { values: f.coverage.communes.map((c) => ({ commune: c.listed ? c.commune : `${c.commune} (hors liste)`, evenements: c.events })) },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'commune', type: 'nominal', sort: null, title: null },
      x: { field: 'evenements', type: 'quantitative', title: 'Événements', axis: { tickMinStep: 1, format: 'd' } },
    },
  };
  return { id: 'graphique-communes', title: 'Couverture du territoire : événements publiés par commune', description, spec };
}

/** Nationally: for each territory, its communes with and without any event. */
export function territoryCoverageChart(report: EditionReport): Chart {
  const total = report.total.coverage;
  const description = `${plural(total.covered, 'commune', 'communes')} sur ${total.listed} ${total.covered <= 1 ? 'a' : 'ont'} au moins un événement, dans ${plural(report.territories.length, 'territoire', 'territoires')}.`;
  const spec: TopLevelSpec = {
    width: WIDTH - 200,
    height: Math.max(1, report.territories.length) * ROW_HEIGHT,
    data: {
      values: report.territories.flatMap((t) => [
        { territoire: t.territory.name, communes: t.coverage.covered, etat: 'Avec au moins un événement', ordre: 0 },
        { territoire: t.territory.name, communes: t.coverage.listed - t.coverage.covered, etat: 'Sans événement', ordre: 1 },
      ]),
    },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'territoire', type: 'nominal', sort: null, title: null },
      x: { field: 'communes', type: 'quantitative', title: 'Communes de la liste', axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'etat', type: 'nominal', title: null, scale: { domain: ['Avec au moins un événement', 'Sans événement'], range: ['#1f5f9e', '#6f8197'] } },
      order: { field: 'ordre' },
    },
  };
  return { id: 'graphique-communes', title: 'Couverture des territoires : communes touchées', description, spec };
}

const NEED_STATES = [
  { key: 'planned', label: 'Prévus', colour: '#1f5f9e' },
  { key: 'notPossible', label: 'Pas possibles', colour: '#b35900' },
  { key: 'unanswered', label: 'Sans réponse', colour: '#6b6b6b' },
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
  const description =
    `${plural(total.declared, 'besoin déclaré', 'besoins déclarés')}${left > 0 ? ' dans les catégories dessinées' : ''}, dont ${plural(total.planned, 'prévu', 'prévus')} (${Math.round((100 * total.planned) / total.declared)} %).` +
    (left > 0 ? ` ${left > 1 ? `${left} autres catégories ne sont pas dessinées : leurs nombres sont masqués` : 'Une autre catégorie n’est pas dessinée : ses nombres sont masqués'} (moins de 5).` : '');
  const spec: TopLevelSpec = {
    width: WIDTH - 200,
    height: Math.max(1, rows.length) * ROW_HEIGHT,
    data: {
      values: rows.flatMap((n) => NEED_STATES.map((s, order) => ({ besoin: ACCESS_FEATURE_INFO[n.category].label, etat: s.label, nombre: n[s.key], ordre: order }))),
    },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'besoin', type: 'nominal', sort: null, title: null },
      x: { field: 'nombre', type: 'quantitative', title: 'Besoins déclarés', axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'etat', type: 'nominal', title: null, scale: { domain: NEED_STATES.map((s) => s.label), range: NEED_STATES.map((s) => s.colour) } },
      order: { field: 'ordre' },
    },
  };
  return { id: 'graphique-besoins', title: 'Besoins d’accessibilité satisfaits ou non, par catégorie', description, spec };
}
