-- Issue 18: every programme query at flat cost up to 50,000 events. What the programme filters
-- and sorts on becomes columns of the event row, kept by the database itself (triggers and
-- generated columns: no writer can forget them), and one partial index holds them all, in the
-- programme's order, so counting and paging read the index alone.

-- The accessibility features as bits, in ACCESS_FEATURES order (server/domain/vocabulary.ts):
-- « offers all of these » is one AND on an integer. A feature added to the vocabulary is added
-- at the end of this array by a new migration (test/db/programme-columns.test.ts checks the order).
CREATE FUNCTION access_mask(features text[]) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  select coalesce(sum(1 << (array_position(array['lsf', 'captioning', 'caa', 'falc', 'audio_description', 'induction_loop', 'wheelchair', 'companion', 'quiet_space', 'other'], f) - 1)), 0)::int
  from unnest(features) as f
$$;--> statement-breakpoint
DROP INDEX "event_accessibility_idx";--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "seats_taken" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "has_places" boolean GENERATED ALWAYS AS (capacity is null or capacity > seats_taken) STORED;--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "starts_local" timestamp;--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "ends_local" timestamp;--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "access_mask" integer GENERATED ALWAYS AS (access_mask(accessibility_offered)) STORED;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_seats_taken" CHECK ("event"."seats_taken" >= 0);--> statement-breakpoint

-- Confirmed seats follow every registration write, in its transaction. The event row is already
-- locked there by the capacity rules (decision 0006), so this adds no waiting. seats_taken is in
-- no index (has_places is, and changes only when the event fills or frees up): most of these
-- updates stay HOT.
CREATE FUNCTION registration_seats_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.state = NEW.state AND OLD.seats = NEW.seats AND OLD.event_id = NEW.event_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = 'confirmed' THEN
    UPDATE event SET seats_taken = seats_taken - OLD.seats WHERE id = OLD.event_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state = 'confirmed' THEN
    UPDATE event SET seats_taken = seats_taken + NEW.seats WHERE id = NEW.event_id;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER registration_seats_on_write AFTER INSERT OR DELETE OR UPDATE OF state, seats, event_id ON registration
  FOR EACH ROW EXECUTE FUNCTION registration_seats_on_write();--> statement-breakpoint

-- Wall-clock times in the territory's zone: the programme reads and sorts by what people read.
CREATE FUNCTION event_local_times_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT NEW.starts_at AT TIME ZONE t.time_zone, NEW.ends_at AT TIME ZONE t.time_zone
    INTO NEW.starts_local, NEW.ends_local FROM territory t WHERE t.id = NEW.territory_id;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER event_local_times_on_write BEFORE INSERT OR UPDATE OF starts_at, ends_at, territory_id ON event
  FOR EACH ROW EXECUTE FUNCTION event_local_times_on_write();--> statement-breakpoint
CREATE FUNCTION event_local_times_on_zone_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE event SET starts_local = starts_at AT TIME ZONE NEW.time_zone, ends_local = ends_at AT TIME ZONE NEW.time_zone
    WHERE territory_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER event_local_times_on_zone_change AFTER UPDATE OF time_zone ON territory
  FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
  EXECUTE FUNCTION event_local_times_on_zone_change();--> statement-breakpoint

UPDATE event e SET
  seats_taken = coalesce((select sum(r.seats) from registration r where r.event_id = e.id and r.state = 'confirmed'), 0),
  starts_local = e.starts_at AT TIME ZONE t.time_zone,
  ends_local = e.ends_at AT TIME ZONE t.time_zone
FROM territory t WHERE t.id = e.territory_id;--> statement-breakpoint

CREATE INDEX "event_programme_order_idx" ON "event" USING btree ("edition_id","starts_local","id")
  INCLUDE ("state", "ends_local", "category", "audience", "access_mask", "has_places", "venue_id", "territory_id")
  WHERE state in ('published', 'cancelled');
