CREATE TABLE "registration_token" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"registration_id" integer NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registration_token_kind" CHECK ("registration_token"."kind" in ('manage', 'feed'))
);
--> statement-breakpoint
DROP INDEX "registration_manage_token_key";--> statement-breakpoint
ALTER TABLE "registration_token" ADD CONSTRAINT "registration_token_registration_id_registration_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registration"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "registration_token_registration_idx" ON "registration_token" USING btree ("registration_id");--> statement-breakpoint
-- Manage links already mailed keep working: their hashes become manage tokens (hand-written step).
INSERT INTO "registration_token" ("token_hash", "registration_id", "kind")
  SELECT "manage_token_hash", "id", 'manage' FROM "registration"
  WHERE "identity_purged_at" IS NULL AND "manage_token_hash" NOT LIKE 'purged:%';--> statement-breakpoint
ALTER TABLE "registration" DROP COLUMN "manage_token_hash";