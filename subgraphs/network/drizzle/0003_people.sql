CREATE TYPE "public"."person_role" AS ENUM('COORDINATOR', 'MANAGER', 'STAFF');--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"role" "person_role",
	"partner_slug" text,
	"invited_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid
);
--> statement-breakpoint
CREATE TABLE "person_identities" (
	"issuer" text NOT NULL,
	"subject" text NOT NULL,
	"person_id" uuid NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_identities_issuer_subject_pk" PRIMARY KEY("issuer","subject")
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "persons_closed_without_email" CHECK ("persons"."closed_at" IS NULL OR "persons"."email" IS NULL)
);
--> statement-breakpoint
CREATE TABLE "role_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"role" "person_role" NOT NULL,
	"partner_slug" text,
	"granted_by" uuid,
	"granted_at" timestamp with time zone NOT NULL,
	"revoked_by" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "role_grants_partner_iff_not_coordinator" CHECK (("role_grants"."role" = 'COORDINATOR') = ("role_grants"."partner_slug" IS NULL)),
	CONSTRAINT "role_grants_revoked_after_grant" CHECK ("role_grants"."revoked_at" IS NULL OR "role_grants"."revoked_at" >= "role_grants"."granted_at")
);
--> statement-breakpoint
ALTER TABLE "passes" ADD COLUMN "holder_person_id" uuid;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_partner_slug_partners_slug_fk" FOREIGN KEY ("partner_slug") REFERENCES "public"."partners"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_persons_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_accepted_by_persons_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_identities" ADD CONSTRAINT "person_identities_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_partner_slug_partners_slug_fk" FOREIGN KEY ("partner_slug") REFERENCES "public"."partners"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_granted_by_persons_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_revoked_by_persons_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitations_email_idx" ON "invitations" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "person_identities_person_issuer_unique" ON "person_identities" USING btree ("person_id","issuer");--> statement-breakpoint
CREATE UNIQUE INDEX "persons_open_email_unique" ON "persons" USING btree (lower("email")) WHERE "persons"."closed_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "role_grants_live_unique" ON "role_grants" USING btree ("person_id","role",coalesce("partner_slug", '')) WHERE "role_grants"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX "role_grants_partner_idx" ON "role_grants" USING btree ("partner_slug","granted_at");--> statement-breakpoint
CREATE INDEX "role_grants_person_idx" ON "role_grants" USING btree ("person_id");--> statement-breakpoint
ALTER TABLE "passes" ADD CONSTRAINT "passes_holder_person_id_persons_id_fk" FOREIGN KEY ("holder_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "passes_holder_person_idx" ON "passes" USING btree ("holder_person_id","issued_at");