CREATE TABLE "calendar_entry" (
	"event_id" integer PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"body" text NOT NULL,
	"time_zone" text,
	"first_year" integer,
	"last_year" integer
);
--> statement-breakpoint
ALTER TABLE "calendar_entry" ADD CONSTRAINT "calendar_entry_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;