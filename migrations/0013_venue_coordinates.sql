ALTER TABLE "venue" ADD CONSTRAINT "venue_coordinates" CHECK (("venue"."latitude" is null) = ("venue"."longitude" is null));--> statement-breakpoint
ALTER TABLE "venue" ADD CONSTRAINT "venue_latitude" CHECK ("venue"."latitude" between -90 and 90);--> statement-breakpoint
ALTER TABLE "venue" ADD CONSTRAINT "venue_longitude" CHECK ("venue"."longitude" between -180 and 180);