CREATE TABLE "partner_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partner_slug" text NOT NULL,
	"subgraph_url" text NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"ok" boolean NOT NULL,
	"latency_ms" integer NOT NULL,
	"error" text,
	"missing" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "partner_checks_latency_not_negative" CHECK ("partner_checks"."latency_ms" >= 0),
	CONSTRAINT "partner_checks_error_iff_failed" CHECK (("partner_checks"."error" IS NULL) = "partner_checks"."ok")
);
--> statement-breakpoint
CREATE INDEX "partner_checks_partner_idx" ON "partner_checks" USING btree ("partner_slug","checked_at");