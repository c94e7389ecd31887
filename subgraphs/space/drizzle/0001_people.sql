CREATE TYPE "public"."visit_kind" AS ENUM('MEMBER', 'NETWORK_VISITOR');--> statement-breakpoint
ALTER TABLE "registrations" DROP CONSTRAINT "registrations_member_or_guest";--> statement-breakpoint
ALTER TABLE "visits" ALTER COLUMN "member_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "hidden_skill_keys" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "person_id" uuid;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "person_id" uuid;--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "person_name" text;--> statement-breakpoint
ALTER TABLE "visits" ADD COLUMN "kind" "visit_kind" DEFAULT 'MEMBER' NOT NULL;--> statement-breakpoint
ALTER TABLE "visits" ADD COLUMN "person_id" uuid;--> statement-breakpoint
ALTER TABLE "visits" ADD COLUMN "pass_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "members_one_per_person" ON "members" USING btree ("person_id") WHERE "members"."person_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "registrations_person_idx" ON "registrations" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_one_live_per_person" ON "registrations" USING btree ("event_id","person_id") WHERE "registrations"."status" <> 'CANCELLED' AND "registrations"."person_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "visits_person_idx" ON "visits" USING btree ("person_id","checked_in_at");--> statement-breakpoint
CREATE UNIQUE INDEX "visits_one_open_per_person" ON "visits" USING btree ("person_id") WHERE "visits"."checked_out_at" IS NULL;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_one_registrant" CHECK (("registrations"."member_id" IS NOT NULL AND "registrations"."guest_name" IS NULL AND "registrations"."guest_email" IS NULL AND "registrations"."person_id" IS NULL AND "registrations"."person_name" IS NULL)
        OR ("registrations"."member_id" IS NULL AND "registrations"."guest_name" IS NOT NULL AND "registrations"."guest_email" IS NOT NULL AND "registrations"."person_id" IS NULL AND "registrations"."person_name" IS NULL)
        OR ("registrations"."member_id" IS NULL AND "registrations"."guest_name" IS NULL AND "registrations"."guest_email" IS NULL AND "registrations"."person_name" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_member_visit_has_member" CHECK (("visits"."kind" = 'MEMBER') = ("visits"."member_id" IS NOT NULL));