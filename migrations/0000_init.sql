CREATE TABLE "access_need" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "access_need_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"registration_id" integer NOT NULL,
	"category" text NOT NULL,
	"detail" text,
	"status" text DEFAULT 'requested' NOT NULL,
	"response" text,
	"answered_at" timestamp with time zone,
	"answered_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_need_category" CHECK ("access_need"."category" in ('lsf', 'captioning', 'caa', 'falc', 'audio_description', 'induction_loop', 'wheelchair', 'companion', 'quiet_space', 'other')),
	CONSTRAINT "access_need_status" CHECK ("access_need"."status" in ('requested', 'planned', 'not_possible'))
);
--> statement-breakpoint
CREATE TABLE "access_need_tally" (
	"event_id" integer NOT NULL,
	"category" text NOT NULL,
	"requested" integer DEFAULT 0 NOT NULL,
	"planned" integer DEFAULT 0 NOT NULL,
	"not_possible" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "access_need_tally_event_id_category_pk" PRIMARY KEY("event_id","category"),
	CONSTRAINT "access_need_tally_category" CHECK ("access_need_tally"."category" in ('lsf', 'captioning', 'caa', 'falc', 'audio_description', 'induction_loop', 'wheelchair', 'companion', 'quiet_space', 'other'))
);
--> statement-breakpoint
CREATE TABLE "app_user" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "app_user_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"name" text,
	"is_admin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor_user_id" integer,
	"action" text NOT NULL,
	"event_id" integer,
	"registration_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "edition" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "edition_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"year" integer NOT NULL,
	"theme" text NOT NULL,
	"first_day" date NOT NULL,
	"last_day" date NOT NULL,
	"proposals_open" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "edition_year_unique" UNIQUE("year"),
	CONSTRAINT "edition_days_ordered" CHECK ("edition"."last_day" >= "edition"."first_day")
);
--> statement-breakpoint
CREATE TABLE "event" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"edition_id" integer NOT NULL,
	"territory_id" integer NOT NULL,
	"organisation_id" integer NOT NULL,
	"venue_id" integer,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"easy_read_summary" text,
	"category" text NOT NULL,
	"audience" text DEFAULT 'tout_public' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"online_url" text,
	"capacity" integer,
	"registration_opens_at" timestamp with time zone,
	"registration_closes_at" timestamp with time zone,
	"access_request_deadline" timestamp with time zone,
	"accessibility_offered" text[] DEFAULT '{}'::text[] NOT NULL,
	"content_note" text,
	"state" text DEFAULT 'draft' NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"cancellation_reason" text,
	"outside_edition_approved" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('french', coalesce("event"."title", '')), 'A') || setweight(to_tsvector('french', coalesce("event"."summary", '')), 'B') || setweight(to_tsvector('french', coalesce("event"."description", '')), 'C')) STORED,
	CONSTRAINT "event_category" CHECK ("event"."category" in ('sport', 'jardin_partage', 'atelier_culturel', 'cine_debat', 'conference', 'exposition', 'portes_ouvertes', 'groupe_de_parole', 'balade', 'autre')),
	CONSTRAINT "event_audience" CHECK ("event"."audience" in ('tout_public', 'jeunes', 'familles', 'adultes', 'seniors', 'professionnels')),
	CONSTRAINT "event_state" CHECK ("event"."state" in ('draft', 'submitted', 'changes_requested', 'published', 'cancelled', 'refused')),
	CONSTRAINT "event_accessibility" CHECK ("event"."accessibility_offered" <@ array['lsf', 'captioning', 'caa', 'falc', 'audio_description', 'induction_loop', 'wheelchair', 'companion', 'quiet_space', 'other']::text[]),
	CONSTRAINT "event_capacity" CHECK ("event"."capacity" is null or "event"."capacity" >= 0),
	CONSTRAINT "event_times" CHECK ("event"."ends_at" > "event"."starts_at"),
	CONSTRAINT "event_sequence" CHECK ("event"."sequence" >= 0)
);
--> statement-breakpoint
CREATE TABLE "event_history" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"actor_user_id" integer,
	"from_state" text,
	"to_state" text NOT NULL,
	"message" text,
	"changes" jsonb,
	"sequence" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "membership" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "membership_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"role" text NOT NULL,
	"organisation_id" integer,
	"territory_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "membership_role" CHECK ("membership"."role" in ('member', 'coordinator')),
	CONSTRAINT "membership_scope" CHECK (("membership"."role" = 'member' and "membership"."organisation_id" is not null and "membership"."territory_id" is null)
       or ("membership"."role" = 'coordinator' and "membership"."territory_id" is not null and "membership"."organisation_id" is null))
);
--> statement-breakpoint
CREATE TABLE "organisation" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "organisation_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"territory_id" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"contact_email" text,
	"contact_phone" text,
	"website" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_kind" CHECK ("organisation"."kind" in ('association', 'gem', 'service_municipal', 'etablissement_sante', 'bibliotheque', 'club_sportif', 'autre'))
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"recipient" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dedupe_key" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"send_after" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_status" CHECK ("outbox"."status" in ('pending', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "registration" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "registration_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event_id" integer NOT NULL,
	"name" text,
	"email" text,
	"phone" text,
	"seats" integer DEFAULT 1 NOT NULL,
	"on_behalf" boolean DEFAULT false NOT NULL,
	"contact_name" text,
	"contact_email" text,
	"contact_phone" text,
	"needs_consent_at" timestamp with time zone,
	"state" text NOT NULL,
	"waitlist_position" integer,
	"checked_in_at" timestamp with time zone,
	"manage_token_hash" text NOT NULL,
	"created_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	"identity_purged_at" timestamp with time zone,
	CONSTRAINT "registration_state" CHECK ("registration"."state" in ('confirmed', 'waitlisted', 'cancelled')),
	CONSTRAINT "registration_seats" CHECK ("registration"."seats" >= 1),
	CONSTRAINT "registration_waitlist" CHECK (("registration"."state" = 'waitlisted') = ("registration"."waitlist_position" is not null))
);
--> statement-breakpoint
CREATE TABLE "session" (
	"sid" text PRIMARY KEY NOT NULL,
	"user_id" integer,
	"data" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_token" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "territory" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "territory_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'Europe/Paris' NOT NULL,
	"communes" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "territory_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "venue" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "venue_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organisation_id" integer,
	"territory_id" integer NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"postcode" text NOT NULL,
	"commune" text NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"step_free_entrance" boolean DEFAULT false NOT NULL,
	"accessible_toilets" boolean DEFAULT false NOT NULL,
	"reserved_parking" boolean DEFAULT false NOT NULL,
	"induction_loop" boolean DEFAULT false NOT NULL,
	"quiet_room" boolean DEFAULT false NOT NULL,
	"access_directions" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_need" ADD CONSTRAINT "access_need_registration_id_registration_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registration"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_need" ADD CONSTRAINT "access_need_answered_by_user_id_app_user_id_fk" FOREIGN KEY ("answered_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_need_tally" ADD CONSTRAINT "access_need_tally_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_app_user_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."app_user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_edition_id_edition_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."edition"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_territory_id_territory_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territory"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_venue_id_venue_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venue"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_history" ADD CONSTRAINT "event_history_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_history" ADD CONSTRAINT "event_history_actor_user_id_app_user_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."app_user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_territory_id_territory_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territory"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation" ADD CONSTRAINT "organisation_territory_id_territory_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territory"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration" ADD CONSTRAINT "registration_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration" ADD CONSTRAINT "registration_created_by_user_id_app_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue" ADD CONSTRAINT "venue_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue" ADD CONSTRAINT "venue_territory_id_territory_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territory"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_need_registration_category_key" ON "access_need" USING btree ("registration_id","category");--> statement-breakpoint
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "audit_log_event_idx" ON "audit_log" USING btree ("event_id","created_at");--> statement-breakpoint
CREATE INDEX "event_programme_idx" ON "event" USING btree ("edition_id","state","starts_at");--> statement-breakpoint
CREATE INDEX "event_organisation_idx" ON "event" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "event_territory_idx" ON "event" USING btree ("territory_id","state");--> statement-breakpoint
CREATE INDEX "event_venue_idx" ON "event" USING btree ("venue_id");--> statement-breakpoint
CREATE INDEX "event_accessibility_idx" ON "event" USING gin ("accessibility_offered");--> statement-breakpoint
CREATE INDEX "event_search_idx" ON "event" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "event_history_event_idx" ON "event_history" USING btree ("event_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "membership_user_org_key" ON "membership" USING btree ("user_id","organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "membership_user_territory_key" ON "membership" USING btree ("user_id","territory_id");--> statement-breakpoint
CREATE INDEX "organisation_territory_idx" ON "organisation" USING btree ("territory_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_key" ON "outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("send_after") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "registration_manage_token_key" ON "registration" USING btree ("manage_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "registration_event_email_key" ON "registration" USING btree ("event_id",lower("email")) WHERE "registration"."state" <> 'cancelled' and "registration"."email" is not null;--> statement-breakpoint
CREATE INDEX "registration_event_state_idx" ON "registration" USING btree ("event_id","state");--> statement-breakpoint
CREATE INDEX "session_user_idx" ON "session" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "session_expires_idx" ON "session" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "sign_in_token_email_idx" ON "sign_in_token" USING btree ("email");--> statement-breakpoint
CREATE INDEX "venue_organisation_idx" ON "venue" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "venue_commune_idx" ON "venue" USING btree ("commune");