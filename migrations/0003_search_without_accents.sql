ALTER TABLE "event" drop column "search_vector";--> statement-breakpoint
ALTER TABLE "event" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('french_unaccent', coalesce("event"."title", '')), 'A') || setweight(to_tsvector('french_unaccent', coalesce("event"."summary", '')), 'B') || setweight(to_tsvector('french_unaccent', coalesce("event"."description", '')), 'C')) STORED;--> statement-breakpoint
-- Dropping the column dropped its index: create it again (hand-written step).
CREATE INDEX "event_search_idx" ON "event" USING gin ("search_vector");
