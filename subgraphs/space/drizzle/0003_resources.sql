CREATE TYPE "public"."booking_payment" AS ENUM('AT_DESK', 'PASS', 'INCLUDED');--> statement-breakpoint
CREATE TYPE "public"."booking_status" AS ENUM('HELD', 'CONFIRMED', 'CANCELLED', 'RELEASED');--> statement-breakpoint
CREATE TYPE "public"."resource_kind" AS ENUM('MEETING_ROOM', 'FLEXIBLE_DESK', 'FIXED_DESK', 'VISIO_KIT', 'PRINTER', 'OTHER_EQUIPMENT');--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bundle_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" "booking_status" NOT NULL,
	"payment" "booking_payment" NOT NULL,
	"member_id" uuid,
	"person_id" uuid,
	"booked_for_name" text NOT NULL,
	"pass_id" text,
	"saga_key" text,
	"price_cents" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "bookings_ends_after_start" CHECK ("bookings"."ends_at" > "bookings"."starts_at"),
	CONSTRAINT "bookings_pass_paid_has_pass" CHECK (("bookings"."payment" = 'PASS') = ("bookings"."pass_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"space_id" uuid NOT NULL,
	"kind" "resource_kind" NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"capacity" integer DEFAULT 1 NOT NULL,
	"price_per_hour_cents" integer,
	"price_per_half_day_cents" integer,
	"price_per_day_cents" integer,
	"bookable_hours" text,
	"min_minutes" integer DEFAULT 30 NOT NULL,
	"max_minutes" integer DEFAULT 600 NOT NULL,
	"max_days_ahead" integer DEFAULT 60 NOT NULL,
	"free_cancellation_hours" integer DEFAULT 24 NOT NULL,
	"accepts_pass" boolean DEFAULT true NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resources_capacity_positive" CHECK ("resources"."capacity" > 0),
	CONSTRAINT "resources_durations" CHECK ("resources"."min_minutes" >= 15 AND "resources"."max_minutes" >= "resources"."min_minutes" AND "resources"."max_minutes" <= 10080),
	CONSTRAINT "resources_days_ahead" CHECK ("resources"."max_days_ahead" BETWEEN 0 AND 366),
	CONSTRAINT "resources_free_cancellation" CHECK ("resources"."free_cancellation_hours" >= 0),
	CONSTRAINT "resources_prices_positive" CHECK (coalesce("resources"."price_per_hour_cents", 0) >= 0 AND coalesce("resources"."price_per_half_day_cents", 0) >= 0 AND coalesce("resources"."price_per_day_cents", 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_resource_idx" ON "bookings" USING btree ("resource_id","starts_at");--> statement-breakpoint
CREATE INDEX "bookings_bundle_idx" ON "bookings" USING btree ("bundle_id");--> statement-breakpoint
CREATE INDEX "bookings_member_idx" ON "bookings" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "bookings_person_idx" ON "bookings" USING btree ("person_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_saga_key_resource" ON "bookings" USING btree ("saga_key","resource_id");--> statement-breakpoint
CREATE INDEX "resources_space_idx" ON "resources" USING btree ("space_id","name");