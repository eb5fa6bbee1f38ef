// The figures of one edition for one territory, or for every territory and their national total:
// the aggregates of queries.ts (and the registrations feature's need counts) folded into plain
// numbers per day, category, audience, commune, organisation kind and need category, with every
// day of the edition, every category and every listed commune present even at zero.
import type { Database } from '../db/client.ts';
import { communeKey, listedCommune } from '../domain/communes.ts';
import { ACCESS_FEATURES, AUDIENCES, EVENT_CATEGORIES, ORGANISATION_KINDS, type AccessFeature, type Audience, type EventCategory, type OrganisationKind } from '../domain/vocabulary.ts';
import { needCounts } from '../registrations/index.ts';
import {
  eventCounts,
  eventTotals,
  partners,
  registrationTotals,
  type EventCount,
  type EventTotals,
  type Partner,
  type RegistrationTotals,
  type ReportScope,
  type ReportTerritory,
} from './queries.ts';

export interface ReportEdition {
  id: number;
  year: number;
  theme: string;
  firstDay: string;
  lastDay: string;
}

export interface CommuneCount {
  commune: string;
  events: number;
  /** false: a venue's commune missing from the territory's list (typed before the list was kept). */
  listed: boolean;
}

export interface NeedFigures {
  category: AccessFeature;
  /** Every need declared: planned + not possible + unanswered. */
  declared: number;
  planned: number;
  notPossible: number;
  unanswered: number;
  declaredLate: number;
  answeredByDeadline: number;
}

export interface Figures {
  events: Omit<EventTotals, 'territoryId'> & {
    byDay: Array<{ day: string; events: number; inEdition: boolean }>;
    byCategory: Array<{ category: EventCategory; events: number }>;
    byAudience: Array<{ audience: Audience; events: number }>;
  };
  coverage: {
    /** The territory's communes in its list's order (zero included), then unlisted ones. Empty nationally. */
    communes: CommuneCount[];
    /** Events without a venue (online only). */
    online: number;
    /** Communes in the list(s), and those of them with at least one event. */
    listed: number;
    covered: number;
  };
  /** Organisations with a published event, most events first. */
  organisations: Array<Omit<Partner, 'territoryId'>>;
  partnersByKind: Array<{ kind: OrganisationKind; organisations: number; newThisYear: number }>;
  registrations: Omit<RegistrationTotals, 'territoryId'>;
  /** Every category of the vocabulary, in its order. */
  needs: NeedFigures[];
}

export interface TerritoryFigures extends Figures {
  territory: ReportTerritory;
}

export interface EditionReport {
  edition: ReportEdition;
  /** One territory for a coordinator; every territory for the national report. */
  national: boolean;
  territories: TerritoryFigures[];
  /** The territory's figures, or the national total. */
  total: Figures;
}

const collator = new Intl.Collator('fr');

/** Every calendar day from first to last, inclusive (« yyyy-mm-dd »). */
function editionDays(first: string, last: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${first}T12:00:00Z`); d.toISOString().slice(0, 10) <= last; d = new Date(d.getTime() + 86_400_000)) days.push(d.toISOString().slice(0, 10));
  return days;
}

function counted(counts: EventCount[], dimension: EventCount['dimension']): Map<string | null, number> {
  const map = new Map<string | null, number>();
  for (const c of counts) if (c.dimension === dimension) map.set(c.key, (map.get(c.key) ?? 0) + c.events);
  return map;
}

function byDay(counts: Map<string | null, number>, edition: ReportEdition): Figures['events']['byDay'] {
  const days = new Set([...editionDays(edition.firstDay, edition.lastDay), ...[...counts.keys()].filter((d): d is string => d !== null)]);
  return [...days].sort().map((day) => ({ day, events: counts.get(day) ?? 0, inEdition: day >= edition.firstDay && day <= edition.lastDay }));
}

/** Venue communes folded onto the list's spelling; unlisted spellings kept apart, alphabetically. */
function coverage(counts: Map<string | null, number>, list: readonly string[]): Figures['coverage'] {
  const listed = new Map(list.map((commune) => [commune, 0]));
  const unlisted = new Map<string, { commune: string; events: number }>();
  let online = 0;
  for (const [stored, events] of counts) {
    if (stored === null) {
      online += events;
      continue;
    }
    const commune = listedCommune(list, stored);
    if (commune !== undefined) listed.set(commune, listed.get(commune)! + events);
    else {
      const key = communeKey(stored);
      const entry = unlisted.get(key) ?? { commune: stored, events: 0 };
      entry.events += events;
      unlisted.set(key, entry);
    }
  }
  const communes = [
    ...[...listed].map(([commune, events]) => ({ commune, events, listed: true })),
    ...[...unlisted.values()].sort((a, b) => collator.compare(a.commune, b.commune)).map((c) => ({ ...c, listed: false })),
  ];
  return { communes, online, listed: listed.size, covered: [...listed.values()].filter((n) => n > 0).length };
}

function partnersByKind(organisations: Figures['organisations']): Figures['partnersByKind'] {
  return ORGANISATION_KINDS.map((kind) => {
    const ofKind = organisations.filter((o) => o.kind === kind);
    return { kind, organisations: ofKind.length, newThisYear: ofKind.filter((o) => o.isNew).length };
  });
}

const NO_REGISTRATIONS: Figures['registrations'] = {
  confirmed: 0,
  seats: 0,
  checkedIn: 0,
  eventsWithCheckIn: 0,
  confirmedAtCheckedEvents: 0,
  waitlisted: 0,
  waitlistedSeats: 0,
  eventsWithWaitlist: 0,
  cancelled: 0,
  onBehalf: 0,
};
const NO_EVENTS: Omit<EventTotals, 'territoryId'> = { published: 0, cancelled: 0, freeEntry: 0, capacity: 0, withAccessibility: 0 };

function withoutTerritory<T extends { territoryId: number }>(row: T): Omit<T, 'territoryId'> {
  const { territoryId: _, ...rest } = row;
  return rest;
}

function needFigures(rows: Array<Omit<NeedFigures, 'declared'> & { category: AccessFeature }>): NeedFigures[] {
  return ACCESS_FEATURES.map((category) => {
    const sum = { unanswered: 0, planned: 0, notPossible: 0, declaredLate: 0, answeredByDeadline: 0 };
    for (const r of rows) if (r.category === category) for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += r[k];
    return { category, declared: sum.unanswered + sum.planned + sum.notPossible, ...sum };
  });
}

/** Field-wise sum of numeric records. */
function sumOf<T extends Record<string, number>>(items: T[], zero: T): T {
  const total = { ...zero };
  for (const item of items) for (const k of Object.keys(zero) as Array<keyof T>) (total[k] as number) += item[k] as number;
  return total;
}

/** The national total: every territory's figures added (its communes are listed per territory, not here). */
function totalOf(territories: TerritoryFigures[], edition: ReportEdition): Figures {
  const addCounts = <K extends string>(pick: (f: Figures) => Array<Record<K, string> & { events: number }>, key: K) => {
    const map = new Map<string | null, number>();
    for (const f of territories) for (const row of pick(f)) map.set(row[key], (map.get(row[key]) ?? 0) + row.events);
    return map;
  };
  const days = addCounts((f) => f.events.byDay, 'day');
  const categories = addCounts((f) => f.events.byCategory, 'category');
  const audiences = addCounts((f) => f.events.byAudience, 'audience');
  const organisations = territories.flatMap((f) => f.organisations);
  return {
    events: {
      ...sumOf(territories.map((f) => withoutDimensions(f.events)), NO_EVENTS),
      byDay: byDay(days, edition),
      byCategory: EVENT_CATEGORIES.map((category) => ({ category, events: categories.get(category) ?? 0 })),
      byAudience: AUDIENCES.map((audience) => ({ audience, events: audiences.get(audience) ?? 0 })),
    },
    coverage: {
      communes: [],
      online: territories.reduce((n, f) => n + f.coverage.online, 0),
      listed: territories.reduce((n, f) => n + f.coverage.listed, 0),
      covered: territories.reduce((n, f) => n + f.coverage.covered, 0),
    },
    organisations,
    partnersByKind: partnersByKind(organisations),
    registrations: sumOf(territories.map((f) => f.registrations), NO_REGISTRATIONS),
    needs: needFigures(territories.flatMap((f) => f.needs)),
  };
}

function withoutDimensions(events: Figures['events']): Omit<EventTotals, 'territoryId'> {
  const { byDay: _d, byCategory: _c, byAudience: _a, ...totals } = events;
  return totals;
}

/** The figures of `edition` for these territories (one, or all of them for the national report). */
export async function editionReport(db: Database, edition: ReportEdition, territories: ReportTerritory[], national: boolean): Promise<EditionReport> {
  const scope: ReportScope = { editionId: edition.id, editionYear: edition.year, territoryId: national ? null : territories[0]!.id };
  const [totals, counts, registrations, organisations, needs] = await Promise.all([
    eventTotals(db, scope),
    eventCounts(db, scope),
    registrationTotals(db, scope),
    partners(db, scope),
    needCounts(db, scope),
  ]);
  const perTerritory: TerritoryFigures[] = territories.map((territory) => {
    const mine = <T extends { territoryId: number }>(rows: T[]) => rows.filter((r) => r.territoryId === territory.id);
    const eventsHere = mine(counts);
    const categories = counted(eventsHere, 'category');
    const audiences = counted(eventsHere, 'audience');
    const theirs = mine(organisations)
      .map(withoutTerritory)
      .sort((a, b) => b.events - a.events || collator.compare(a.name, b.name));
    return {
      territory,
      events: {
        ...(mine(totals).map(withoutTerritory)[0] ?? NO_EVENTS),
        byDay: byDay(counted(eventsHere, 'day'), edition),
        byCategory: EVENT_CATEGORIES.map((category) => ({ category, events: categories.get(category) ?? 0 })),
        byAudience: AUDIENCES.map((audience) => ({ audience, events: audiences.get(audience) ?? 0 })),
      },
      coverage: coverage(counted(eventsHere, 'commune'), territory.communes),
      organisations: theirs,
      partnersByKind: partnersByKind(theirs),
      registrations: mine(registrations).map(withoutTerritory)[0] ?? NO_REGISTRATIONS,
      needs: needFigures(mine(needs)),
    };
  });
  return { edition, national, territories: perTerritory, total: national ? totalOf(perTerritory, edition) : perTerritory[0]! };
}
