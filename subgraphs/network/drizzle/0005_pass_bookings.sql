CREATE TYPE "public"."pass_booking_state" AS ENUM('STARTED', 'HELD', 'REDEEMED', 'CONFIRMED', 'RELEASING', 'FAILED', 'CANCELLING', 'CANCELLED');--> statement-breakpoint
CREATE TABLE "pass_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"state" "pass_booking_state" DEFAULT 'STARTED' NOT NULL,
	"person_id" uuid NOT NULL,
	"pass_id" uuid NOT NULL,
	"host_slug" text NOT NULL,
	"space_id" text,
	"resource_ids" text[] NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"booking_id" text,
	"redemption_id" uuid,
	"error_code" text,
	"lease_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pass_bookings_key_unique" UNIQUE("key")
);
--> statement-breakpoint
ALTER TABLE "pass_bookings" ADD CONSTRAINT "pass_bookings_pass_id_passes_id_fk" FOREIGN KEY ("pass_id") REFERENCES "public"."passes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_bookings" ADD CONSTRAINT "pass_bookings_host_slug_partners_slug_fk" FOREIGN KEY ("host_slug") REFERENCES "public"."partners"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pass_bookings_unfinished_idx" ON "pass_bookings" USING btree ("lease_until") WHERE "pass_bookings"."state" IN ('STARTED', 'HELD', 'REDEEMED', 'RELEASING', 'CANCELLING');--> statement-breakpoint
CREATE INDEX "pass_bookings_person_idx" ON "pass_bookings" USING btree ("person_id","starts_at");