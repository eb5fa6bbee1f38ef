-- Search that ignores accents (« cinema » finds « cinéma »): a French text-search configuration
-- that strips accents before stemming. unaccent is a trusted extension (PostgreSQL ≥ 13) and
-- PGlite loads it (server/db/client.ts createPglite).
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION french_unaccent ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
