CREATE TYPE "public"."blocking_rule" AS ENUM('always', 'never', 'restricted_data', 'multi_tenant', 'renewal');--> statement-breakpoint
CREATE TYPE "public"."checklist_subject" AS ENUM('server', 'grant');--> statement-breakpoint
CREATE TYPE "public"."checklist_version_state" AS ENUM('draft', 'published', 'superseded');--> statement-breakpoint
CREATE TABLE "checklist_controls" (
	"version_id" uuid NOT NULL,
	"control_id" text NOT NULL,
	"position" integer NOT NULL,
	"subject" "checklist_subject" NOT NULL,
	"section" text NOT NULL,
	"title" text NOT NULL,
	"requirement" text NOT NULL,
	"guidance" jsonb NOT NULL,
	"evidence" text[] NOT NULL,
	"probe_checks" text[] DEFAULT '{}'::text[] NOT NULL,
	"attestation_prompt" text,
	"blocking" "blocking_rule" NOT NULL,
	"references" jsonb NOT NULL,
	"parallel_identity_path" boolean DEFAULT false NOT NULL,
	CONSTRAINT "checklist_controls_version_id_control_id_pk" PRIMARY KEY("version_id","control_id"),
	CONSTRAINT "checklist_controls_control_id_ck" CHECK ("checklist_controls"."control_id" ~ '^[A-Z]{2,4}-[0-9]{1,3}$'),
	CONSTRAINT "checklist_controls_evidence_ck" CHECK (cardinality("checklist_controls"."evidence") > 0 and "checklist_controls"."evidence" <@ array['probe', 'inventory', 'attestation']::text[])
);
--> statement-breakpoint
CREATE TABLE "checklist_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" integer NOT NULL,
	"state" "checklist_version_state" DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"based_on_id" uuid,
	"created_by_id" uuid,
	"published_at" timestamp with time zone,
	"published_by_id" uuid,
	"superseded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checklist_versions_version_ck" CHECK ("checklist_versions"."version" > 0),
	CONSTRAINT "checklist_versions_published_ck" CHECK (("checklist_versions"."state" = 'draft') = ("checklist_versions"."published_at" is null)),
	CONSTRAINT "checklist_versions_superseded_ck" CHECK (("checklist_versions"."state" = 'superseded') = ("checklist_versions"."superseded_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "checklist_controls" ADD CONSTRAINT "checklist_controls_version_id_checklist_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."checklist_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_versions" ADD CONSTRAINT "checklist_versions_based_on_id_checklist_versions_id_fk" FOREIGN KEY ("based_on_id") REFERENCES "public"."checklist_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_versions" ADD CONSTRAINT "checklist_versions_created_by_id_people_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_versions" ADD CONSTRAINT "checklist_versions_published_by_id_people_id_fk" FOREIGN KEY ("published_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "checklist_controls_position_key" ON "checklist_controls" USING btree ("version_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "checklist_versions_version_key" ON "checklist_versions" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "checklist_versions_one_draft" ON "checklist_versions" USING btree ("state") WHERE "checklist_versions"."state" = 'draft';--> statement-breakpoint
CREATE UNIQUE INDEX "checklist_versions_one_published" ON "checklist_versions" USING btree ("state") WHERE "checklist_versions"."state" = 'published';