CREATE TYPE "public"."ledger_entry_kind" AS ENUM('REDEMPTION', 'VOID');--> statement-breakpoint
CREATE TYPE "public"."partner_kind" AS ENUM('REGIONAL_NATURAL_PARK', 'ASSOCIATION', 'COOPERATIVE', 'LOCAL_AUTHORITY', 'COMPANY', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."partner_status" AS ENUM('ACTIVE', 'SUSPENDED');--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "ledger_entry_kind" NOT NULL,
	"pass_id" uuid NOT NULL,
	"space_id" text NOT NULL,
	"host_slug" text NOT NULL,
	"seller_slug" text,
	"started_at" timestamp with time zone NOT NULL,
	"minutes" integer NOT NULL,
	"entries" integer NOT NULL,
	"amount_cents" integer NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	"idempotency_key" text,
	"voids_entry_id" uuid,
	"reason" text,
	CONSTRAINT "ledger_entries_shape" CHECK (CASE "ledger_entries"."kind"
        WHEN 'REDEMPTION' THEN "ledger_entries"."entries" > 0 AND "ledger_entries"."idempotency_key" IS NOT NULL AND "ledger_entries"."voids_entry_id" IS NULL
        ELSE "ledger_entries"."entries" < 0 AND "ledger_entries"."idempotency_key" IS NULL AND "ledger_entries"."voids_entry_id" IS NOT NULL AND "ledger_entries"."reason" IS NOT NULL
      END)
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" "partner_kind" NOT NULL,
	"territory" text NOT NULL,
	"status" "partner_status" DEFAULT 'ACTIVE' NOT NULL,
	"subgraph_url" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pass_product_spaces" (
	"product_id" uuid NOT NULL,
	"space_id" text NOT NULL,
	"host_slug" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "pass_product_spaces_product_id_space_id_pk" PRIMARY KEY("product_id","space_id")
);
--> statement-breakpoint
CREATE TABLE "pass_products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"seller_slug" text,
	"entries" integer NOT NULL,
	"entry_minutes" integer NOT NULL,
	"price_cents" integer NOT NULL,
	"validity_days" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pass_products_entries_positive" CHECK ("pass_products"."entries" > 0),
	CONSTRAINT "pass_products_entry_minutes_positive" CHECK ("pass_products"."entry_minutes" > 0),
	CONSTRAINT "pass_products_price_not_negative" CHECK ("pass_products"."price_cents" >= 0),
	CONSTRAINT "pass_products_validity_positive" CHECK ("pass_products"."validity_days" > 0)
);
--> statement-breakpoint
CREATE TABLE "passes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"product_id" uuid NOT NULL,
	"seller_slug" text,
	"holder_id" text,
	"entries_total" integer NOT NULL,
	"entries_left" integer NOT NULL,
	"entry_minutes" integer NOT NULL,
	"price_cents" integer NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "passes_entries_left_range" CHECK ("passes"."entries_left" BETWEEN 0 AND "passes"."entries_total"),
	CONSTRAINT "passes_expires_after_issue" CHECK ("passes"."expires_at" > "passes"."issued_at")
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_pass_id_passes_id_fk" FOREIGN KEY ("pass_id") REFERENCES "public"."passes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_host_slug_partners_slug_fk" FOREIGN KEY ("host_slug") REFERENCES "public"."partners"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_seller_slug_partners_slug_fk" FOREIGN KEY ("seller_slug") REFERENCES "public"."partners"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_voids_entry_id_ledger_entries_id_fk" FOREIGN KEY ("voids_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_product_spaces" ADD CONSTRAINT "pass_product_spaces_product_id_pass_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."pass_products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_product_spaces" ADD CONSTRAINT "pass_product_spaces_host_slug_partners_slug_fk" FOREIGN KEY ("host_slug") REFERENCES "public"."partners"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pass_products" ADD CONSTRAINT "pass_products_seller_slug_partners_slug_fk" FOREIGN KEY ("seller_slug") REFERENCES "public"."partners"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passes" ADD CONSTRAINT "passes_product_id_pass_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."pass_products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passes" ADD CONSTRAINT "passes_seller_slug_partners_slug_fk" FOREIGN KEY ("seller_slug") REFERENCES "public"."partners"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_idempotency_key_unique" ON "ledger_entries" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_voids_entry_unique" ON "ledger_entries" USING btree ("voids_entry_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_pass_idx" ON "ledger_entries" USING btree ("pass_id","recorded_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_recorded_at_idx" ON "ledger_entries" USING btree ("recorded_at");--> statement-breakpoint
CREATE INDEX "pass_product_spaces_space_idx" ON "pass_product_spaces" USING btree ("space_id");--> statement-breakpoint
CREATE INDEX "pass_products_seller_idx" ON "pass_products" USING btree ("seller_slug");--> statement-breakpoint
CREATE UNIQUE INDEX "passes_code_unique" ON "passes" USING btree ("code");--> statement-breakpoint
CREATE INDEX "passes_holder_idx" ON "passes" USING btree ("holder_id","issued_at");