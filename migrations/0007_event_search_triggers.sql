-- The programme search also finds an event by its venue (name, commune) and its organiser
-- (issue 15: « cinema », « Fontaine » found nothing). Those live in other rows, which a generated
-- column cannot read: event.search_vector is kept by these triggers instead, so it stays one
-- GIN-indexed column (flat cost at 50,000 events). The venue's street address is left out: a
-- street named after a word (« rue du Jardin ») would make every search for that word noisy.
CREATE FUNCTION event_search_vector(e event) RETURNS tsvector LANGUAGE sql STABLE AS $$
  select setweight(to_tsvector('french_unaccent', coalesce(e.title, '')), 'A')
      || setweight(to_tsvector('french_unaccent', coalesce(e.summary, '')), 'B')
      || setweight(to_tsvector('french_unaccent', coalesce(e.description, '')), 'C')
      || setweight(to_tsvector('french_unaccent', coalesce((select v.name || ' ' || v.commune from venue v where v.id = e.venue_id), '')), 'B')
      || setweight(to_tsvector('french_unaccent', coalesce((select o.name from organisation o where o.id = e.organisation_id), '')), 'B')
$$;--> statement-breakpoint
CREATE FUNCTION event_search_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := event_search_vector(NEW);
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER event_search_on_write BEFORE INSERT OR UPDATE OF title, summary, description, venue_id, organisation_id ON event
  FOR EACH ROW EXECUTE FUNCTION event_search_on_write();--> statement-breakpoint
CREATE FUNCTION event_search_on_venue_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE event SET search_vector = event_search_vector(event.*) WHERE venue_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER event_search_on_venue_rename AFTER UPDATE OF name, commune ON venue
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.commune IS DISTINCT FROM NEW.commune)
  EXECUTE FUNCTION event_search_on_venue_rename();--> statement-breakpoint
CREATE FUNCTION event_search_on_organisation_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE event SET search_vector = event_search_vector(event.*) WHERE organisation_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER event_search_on_organisation_rename AFTER UPDATE OF name ON organisation
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION event_search_on_organisation_rename();--> statement-breakpoint
UPDATE event SET search_vector = event_search_vector(event.*);
