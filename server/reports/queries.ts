// The figures of an edition as SQL aggregates, per territory: the database counts, nothing is
// loaded row by row (5,000 events and 50,000 registrations answer in a few milliseconds). Every
// query groups by territory, so the national figures are the sum of the territories' and the
// national page's table per territory comes with them. Counts are of published events: proposals
// are not yet events, and a cancelled event is counted apart.
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.ts';
import type { OrganisationKind } from '../domain/vocabulary.ts';

export interface ReportTerritory {
  id: number;
  name: string;
  communes: string[];
}

/** Every territory, for the national figures (those without any event included). */
export async function allTerritories(db: Database): Promise<ReportTerritory[]> {
  const rows = await queryRows<{ id: number; name: string; communes: string[] }>(db, sql`select id, name, communes from territory order by name, id`);
  return rows.map((r) => ({ id: Number(r.id), name: r.name, communes: r.communes }));
}

export interface ReportScope {
  editionId: number;
  editionYear: number;
  /** null: every territory (the administrator's national figures). */
  territoryId: number | null;
}

/** `e` (event) in the scope's edition and territory. */
function eventsOf(scope: ReportScope): SQL {
  return sql`e.edition_id = ${scope.editionId}${scope.territoryId === null ? sql`` : sql` and e.territory_id = ${scope.territoryId}`}`;
}

const int = (value: unknown) => Number(value ?? 0);

export interface EventTotals {
  territoryId: number;
  published: number;
  cancelled: number;
  /** Published events without a capacity (free entry: no registration). */
  freeEntry: number;
  /** Seats offered by the published events with a capacity. */
  capacity: number;
  /** Published events offering at least one accessibility arrangement. */
  withAccessibility: number;
}

export async function eventTotals(db: Database, scope: ReportScope): Promise<EventTotals[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`
    select e.territory_id as "territoryId",
           count(*) filter (where e.state = 'published') as published,
           count(*) filter (where e.state = 'cancelled') as cancelled,
           count(*) filter (where e.state = 'published' and e.capacity is null) as "freeEntry",
           coalesce(sum(e.capacity) filter (where e.state = 'published'), 0) as capacity,
           count(*) filter (where e.state = 'published' and cardinality(e.accessibility_offered) > 0) as "withAccessibility"
    from event e
    where ${eventsOf(scope)} and e.state in ('published', 'cancelled')
    group by e.territory_id`,
  );
  return rows.map((r) => ({
    territoryId: int(r.territoryId),
    published: int(r.published),
    cancelled: int(r.cancelled),
    freeEntry: int(r.freeEntry),
    capacity: int(r.capacity),
    withAccessibility: int(r.withAccessibility),
  }));
}

export type EventDimension = 'day' | 'category' | 'audience' | 'commune';

export interface EventCount {
  territoryId: number;
  dimension: EventDimension;
  /** The day (yyyy-mm-dd, in the territory's zone), category, audience, or venue commune as
   *  stored (null: online only). Events per organisation: see partners(). */
  key: string | null;
  events: number;
}

/** Published events counted by day, category, audience and commune, in one pass. */
export async function eventCounts(db: Database, scope: ReportScope): Promise<EventCount[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`
    select e.territory_id as "territoryId",
           case when grouping(local.day) = 0 then 'day'
                when grouping(e.category) = 0 then 'category'
                when grouping(e.audience) = 0 then 'audience'
                else 'commune' end as dimension,
           coalesce(local.day, e.category, e.audience, v.commune) as key,
           count(*) as events
    from event e
    join territory t on t.id = e.territory_id
    left join venue v on v.id = e.venue_id
    cross join lateral (select to_char(e.starts_at at time zone t.time_zone, 'YYYY-MM-DD') as day) local
    where ${eventsOf(scope)} and e.state = 'published'
    group by grouping sets ((e.territory_id, local.day), (e.territory_id, e.category), (e.territory_id, e.audience), (e.territory_id, v.commune))`,
  );
  return rows.map((r) => ({
    territoryId: int(r.territoryId),
    dimension: r.dimension as EventDimension,
    key: r.key === null ? null : String(r.key),
    events: int(r.events),
  }));
}

export interface RegistrationTotals {
  territoryId: number;
  /** Confirmed registrations and the seats they hold (the person plus companions). */
  confirmed: number;
  seats: number;
  /** Confirmed registrations whose arrival was noted. */
  checkedIn: number;
  /** Events where at least one arrival was noted, and their confirmed registrations: the attendance
   *  rate is taken there only (an event whose organiser did not note arrivals says nothing). */
  eventsWithCheckIn: number;
  confirmedAtCheckedEvents: number;
  waitlisted: number;
  waitlistedSeats: number;
  /** Events with a waiting list. */
  eventsWithWaitlist: number;
  cancelled: number;
  /** Confirmed registrations made on someone's behalf (by a carer, a relative). */
  onBehalf: number;
}

export async function registrationTotals(db: Database, scope: ReportScope): Promise<RegistrationTotals[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`
    with per_event as (
      select e.territory_id, r.event_id,
             count(*) filter (where r.state = 'confirmed') as confirmed,
             coalesce(sum(r.seats) filter (where r.state = 'confirmed'), 0) as seats,
             count(*) filter (where r.state = 'confirmed' and r.checked_in_at is not null) as checked_in,
             count(*) filter (where r.state = 'waitlisted') as waitlisted,
             coalesce(sum(r.seats) filter (where r.state = 'waitlisted'), 0) as waitlisted_seats,
             count(*) filter (where r.state = 'cancelled') as cancelled,
             count(*) filter (where r.state = 'confirmed' and r.on_behalf) as on_behalf
      from registration r
      join event e on e.id = r.event_id
      where ${eventsOf(scope)} and e.state = 'published'
      group by e.territory_id, r.event_id
    )
    select territory_id as "territoryId",
           sum(confirmed) as confirmed, sum(seats) as seats, sum(checked_in) as "checkedIn",
           count(*) filter (where checked_in > 0) as "eventsWithCheckIn",
           coalesce(sum(confirmed) filter (where checked_in > 0), 0) as "confirmedAtCheckedEvents",
           sum(waitlisted) as waitlisted, sum(waitlisted_seats) as "waitlistedSeats",
           count(*) filter (where waitlisted > 0) as "eventsWithWaitlist",
           sum(cancelled) as cancelled, sum(on_behalf) as "onBehalf"
    from per_event
    group by territory_id`,
  );
  return rows.map((r) => ({
    territoryId: int(r.territoryId),
    confirmed: int(r.confirmed),
    seats: int(r.seats),
    checkedIn: int(r.checkedIn),
    eventsWithCheckIn: int(r.eventsWithCheckIn),
    confirmedAtCheckedEvents: int(r.confirmedAtCheckedEvents),
    waitlisted: int(r.waitlisted),
    waitlistedSeats: int(r.waitlistedSeats),
    eventsWithWaitlist: int(r.eventsWithWaitlist),
    cancelled: int(r.cancelled),
    onBehalf: int(r.onBehalf),
  }));
}

export interface Partner {
  territoryId: number;
  organisationId: number;
  name: string;
  kind: OrganisationKind;
  /** Its published events in this edition. */
  events: number;
  /** No published (or later cancelled) event in any earlier edition: a new partner this year. */
  isNew: boolean;
}

/** The organisations with at least one published event in the edition. */
export async function partners(db: Database, scope: ReportScope): Promise<Partner[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    // The earlier partners in one pass (a NOT EXISTS per organisation scanned the events each time).
    sql`
    with earlier_partners as (
      select distinct before.organisation_id
      from edition earlier
      join event before on before.edition_id = earlier.id
      where earlier.year < ${scope.editionYear} and before.state in ('published', 'cancelled')
    )
    select e.territory_id as "territoryId", o.id as "organisationId", o.name, o.kind, count(*) as events,
           earlier_partners.organisation_id is null as "isNew"
    from event e
    join organisation o on o.id = e.organisation_id
    left join earlier_partners on earlier_partners.organisation_id = o.id
    where ${eventsOf(scope)} and e.state = 'published'
    group by e.territory_id, o.id, earlier_partners.organisation_id`,
  );
  return rows.map((r) => ({
    territoryId: int(r.territoryId),
    organisationId: int(r.organisationId),
    name: String(r.name),
    kind: r.kind as OrganisationKind,
    events: int(r.events),
    isNew: r.isNew === true || r.isNew === 't',
  }));
}
