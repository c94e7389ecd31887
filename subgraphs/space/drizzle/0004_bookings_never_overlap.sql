-- No two live bookings of one resource overlap, whatever the number of concurrent writers:
-- PostgreSQL refuses the second with exclusion_violation (23P01). Ranges are half-open, so
-- 14:00-16:00 and 16:00-18:00 do not overlap.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_never_overlap" EXCLUDE USING gist (
  "resource_id" WITH =,
  tstzrange("starts_at", "ends_at", '[)') WITH &&
) WHERE ("status" IN ('HELD', 'CONFIRMED'));
