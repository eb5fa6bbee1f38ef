ALTER TABLE "calendar_entry" ADD COLUMN "language" text DEFAULT 'fr' NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_entry" DROP CONSTRAINT "calendar_entry_pkey";--> statement-breakpoint
ALTER TABLE "calendar_entry" ADD CONSTRAINT "calendar_entry_event_id_language_pk" PRIMARY KEY("event_id","language");
