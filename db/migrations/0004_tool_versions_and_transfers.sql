CREATE TYPE "public"."asset_type" AS ENUM('server', 'agent');--> statement-breakpoint
CREATE TYPE "public"."owner_slot" AS ENUM('primary', 'backup');--> statement-breakpoint
CREATE TYPE "public"."transfer_state" AS ENUM('pending', 'accepted', 'declined', 'cancelled');--> statement-breakpoint
CREATE TABLE "ownership_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_type" "asset_type" NOT NULL,
	"asset_id" uuid NOT NULL,
	"slot" "owner_slot" NOT NULL,
	"from_person_id" uuid,
	"to_person_id" uuid NOT NULL,
	"requested_by_id" uuid,
	"note" text,
	"state" "transfer_state" DEFAULT 'pending' NOT NULL,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tool_id" uuid NOT NULL,
	"definition_hash" text NOT NULL,
	"title" text,
	"description" text DEFAULT '' NOT NULL,
	"input_schema" jsonb NOT NULL,
	"annotations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tool_versions_hash_ck" CHECK ("tool_versions"."definition_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "ownership_transfers" ADD CONSTRAINT "ownership_transfers_from_person_id_people_id_fk" FOREIGN KEY ("from_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ownership_transfers" ADD CONSTRAINT "ownership_transfers_to_person_id_people_id_fk" FOREIGN KEY ("to_person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ownership_transfers" ADD CONSTRAINT "ownership_transfers_requested_by_id_people_id_fk" FOREIGN KEY ("requested_by_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_versions" ADD CONSTRAINT "tool_versions_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ownership_transfers_to_idx" ON "ownership_transfers" USING btree ("to_person_id","state");--> statement-breakpoint
CREATE INDEX "ownership_transfers_asset_idx" ON "ownership_transfers" USING btree ("asset_type","asset_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ownership_transfers_open_key" ON "ownership_transfers" USING btree ("asset_type","asset_id","slot") WHERE "ownership_transfers"."state" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "tool_versions_tool_hash_key" ON "tool_versions" USING btree ("tool_id","definition_hash");