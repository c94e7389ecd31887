CREATE TYPE "public"."event_kind" AS ENUM('INFORMATION_MEETING', 'TRAINING', 'TALK', 'SHARED_MEAL', 'LAUNCH_EVENING', 'WORKSHOP', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."event_status" AS ENUM('SCHEDULED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."offer_kind" AS ENUM('HALF_DAY', 'DAY', 'WEEK', 'MONTH', 'MULTI_ENTRY_CARD');--> statement-breakpoint
CREATE TYPE "public"."registration_status" AS ENUM('CONFIRMED', 'WAITING', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."space_status" AS ENUM('PROJECT', 'OPEN', 'CLOSED', 'ABANDONED');--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"space_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"search_text" text NOT NULL,
	"kind" "event_kind" NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer,
	"price_cents" integer,
	"status" "event_status" DEFAULT 'SCHEDULED' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_ends_after_start" CHECK ("events"."ends_at" > "events"."starts_at"),
	CONSTRAINT "events_capacity_positive" CHECK ("events"."capacity" IS NULL OR "events"."capacity" > 0)
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"name_key" text NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"profile" text,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"skill_keys" text[] DEFAULT '{}' NOT NULL,
	"search_text" text NOT NULL,
	"is_in_directory" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"space_id" uuid NOT NULL,
	"plan" text NOT NULL,
	"since" date NOT NULL,
	"until" date,
	CONSTRAINT "memberships_until_after_since" CHECK ("memberships"."until" IS NULL OR "memberships"."until" >= "memberships"."since")
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"space_id" uuid NOT NULL,
	"kind" "offer_kind" NOT NULL,
	"label" text NOT NULL,
	"price_cents" integer NOT NULL,
	"entries" integer,
	"entry_minutes" integer,
	"position" integer NOT NULL,
	CONSTRAINT "offers_price_positive" CHECK ("offers"."price_cents" >= 0),
	CONSTRAINT "offers_card_shape" CHECK (("offers"."kind" = 'MULTI_ENTRY_CARD') = ("offers"."entries" IS NOT NULL AND "offers"."entry_minutes" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"member_id" uuid,
	"guest_name" text,
	"guest_email" text,
	"status" "registration_status" NOT NULL,
	"arrival" bigserial NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registrations_member_or_guest" CHECK (("registrations"."member_id" IS NULL) = ("registrations"."guest_name" IS NOT NULL AND "registrations"."guest_email" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "spaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"search_text" text NOT NULL,
	"status" "space_status" DEFAULT 'OPEN' NOT NULL,
	"kinds" text[] NOT NULL,
	"description" text,
	"street" text,
	"postal_code" text NOT NULL,
	"commune" text NOT NULL,
	"commune_key" text NOT NULL,
	"insee_code" text NOT NULL,
	"department" text NOT NULL,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"access_notes" text,
	"opening_hours" text,
	"amenities" text[] DEFAULT '{}' NOT NULL,
	"services" text[] DEFAULT '{}' NOT NULL,
	"audiences" text[] DEFAULT '{}' NOT NULL,
	"desks" integer,
	"surface_m2" integer,
	"contact_email" text,
	"contact_phone" text,
	"website" text,
	"opened_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spaces_lat_range" CHECK ("spaces"."lat" BETWEEN -90 AND 90),
	CONSTRAINT "spaces_lon_range" CHECK ("spaces"."lon" BETWEEN -180 AND 180),
	CONSTRAINT "spaces_desks_positive" CHECK ("spaces"."desks" IS NULL OR "spaces"."desks" >= 0),
	CONSTRAINT "spaces_kinds_not_empty" CHECK (cardinality("spaces"."kinds") > 0)
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"space_id" uuid NOT NULL,
	"checked_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checked_out_at" timestamp with time zone,
	CONSTRAINT "visits_out_after_in" CHECK ("visits"."checked_out_at" IS NULL OR "visits"."checked_out_at" >= "visits"."checked_in_at")
);
--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_starts_at_idx" ON "events" USING btree ("starts_at","id");--> statement-breakpoint
CREATE INDEX "events_space_idx" ON "events" USING btree ("space_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "members_email_unique" ON "members" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "members_name_key_idx" ON "members" USING btree ("name_key" COLLATE "C","id");--> statement-breakpoint
CREATE INDEX "memberships_member_idx" ON "memberships" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "memberships_space_idx" ON "memberships" USING btree ("space_id");--> statement-breakpoint
CREATE INDEX "offers_space_idx" ON "offers" USING btree ("space_id","position");--> statement-breakpoint
CREATE INDEX "registrations_event_idx" ON "registrations" USING btree ("event_id","arrival");--> statement-breakpoint
CREATE INDEX "registrations_member_idx" ON "registrations" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_one_live_per_member" ON "registrations" USING btree ("event_id","member_id") WHERE "registrations"."status" <> 'CANCELLED' AND "registrations"."member_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_one_live_per_guest" ON "registrations" USING btree ("event_id",lower("guest_email")) WHERE "registrations"."status" <> 'CANCELLED' AND "registrations"."guest_email" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "spaces_name_key_idx" ON "spaces" USING btree ("name_key" COLLATE "C","id");--> statement-breakpoint
CREATE INDEX "spaces_department_idx" ON "spaces" USING btree ("department");--> statement-breakpoint
CREATE INDEX "visits_member_idx" ON "visits" USING btree ("member_id","checked_in_at");--> statement-breakpoint
CREATE INDEX "visits_open_by_space_idx" ON "visits" USING btree ("space_id") WHERE "visits"."checked_out_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "visits_one_open_per_member" ON "visits" USING btree ("member_id") WHERE "visits"."checked_out_at" IS NULL;