ALTER TABLE "message_preferences" ADD COLUMN "by_link" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "person_email" text;