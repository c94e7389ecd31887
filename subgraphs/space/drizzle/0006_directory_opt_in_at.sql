ALTER TABLE "members" ADD COLUMN "directory_opt_in_at" timestamp with time zone;--> statement-breakpoint
-- Members in the directory before the column existed: their opt-in is dated from when they joined.
UPDATE "members" SET "directory_opt_in_at" = "created_at" WHERE "is_in_directory";
