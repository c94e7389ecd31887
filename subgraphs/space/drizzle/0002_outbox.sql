ALTER TYPE "public"."registration_status" ADD VALUE 'PENDING';--> statement-breakpoint
CREATE TABLE "message_preferences" (
	"subject" text NOT NULL,
	"kind" text NOT NULL,
	"subscribed" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"message_id" text NOT NULL,
	"kind" text NOT NULL,
	"recipient" text NOT NULL,
	"content" jsonb NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"delivering_since" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_messages_status" CHECK ("outbox_messages"."status" IN ('PENDING', 'SENT', 'DEAD'))
);
--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "hold_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "email_confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "reminded_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "message_preferences_subject_kind" ON "message_preferences" USING btree ("subject","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_messages_message_id" ON "outbox_messages" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "outbox_messages_due" ON "outbox_messages" USING btree ("due_at","seq") WHERE "outbox_messages"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "outbox_messages_pending_by_recipient" ON "outbox_messages" USING btree ("recipient","seq") WHERE "outbox_messages"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "outbox_messages_dead" ON "outbox_messages" USING btree ("created_at") WHERE "outbox_messages"."status" = 'DEAD';--> statement-breakpoint
CREATE INDEX "registrations_hold_idx" ON "registrations" USING btree ("hold_until") WHERE "registrations"."hold_until" IS NOT NULL;--> statement-breakpoint
-- Guest registrations made before confirmation by mail existed count as confirmed.
UPDATE "registrations" SET "email_confirmed_at" = "created_at" WHERE "guest_email" IS NOT NULL;
