CREATE TYPE "public"."comment_kind" AS ENUM('comment', 'change_request', 'response');--> statement-breakpoint
CREATE TYPE "public"."control_verdict" AS ENUM('pass', 'fail', 'not_applicable');--> statement-breakpoint
CREATE TYPE "public"."evidence_kind" AS ENUM('statement', 'file', 'link', 'inventory', 'probe');--> statement-breakpoint
CREATE TYPE "public"."review_decision" AS ENUM('approve', 'reject', 'request_changes');--> statement-breakpoint
CREATE TYPE "public"."review_state" AS ENUM('draft', 'submitted', 'changes_requested', 'approved', 'rejected', 'withdrawn', 'superseded');--> statement-breakpoint
CREATE TYPE "public"."review_trigger" AS ENUM('owner', 'grant_requested', 'checklist_version', 'tool_changed', 'probe_regressed', 'owner_deactivated', 'exception_expired', 'approval_expired');--> statement-breakpoint
CREATE TABLE "review_assessments" (
	"review_id" uuid NOT NULL,
	"control_id" text NOT NULL,
	"verdict" "control_verdict" NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"assessed_by_id" uuid,
	"assessed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_assessments_review_id_control_id_pk" PRIMARY KEY("review_id","control_id")
);
--> statement-breakpoint
CREATE TABLE "review_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"control_id" text,
	"kind" "comment_kind" DEFAULT 'comment' NOT NULL,
	"body" text NOT NULL,
	"round" integer NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"decision" "review_decision" NOT NULL,
	"round" integer NOT NULL,
	"justification" text NOT NULL,
	"decider_id" uuid NOT NULL,
	"assessments" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"control_id" text NOT NULL,
	"kind" "evidence_kind" NOT NULL,
	"round" integer NOT NULL,
	"statement" text,
	"url" text,
	"file_name" text,
	"media_type" text,
	"size_bytes" integer,
	"sha256" text,
	"content" "bytea",
	"computed" jsonb,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	CONSTRAINT "review_evidence_sha_ck" CHECK ("review_evidence"."sha256" is null or "review_evidence"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "review_evidence_shape_ck" CHECK (case "review_evidence"."kind"
        when 'statement' then "review_evidence"."statement" is not null
        when 'link' then "review_evidence"."url" is not null
        when 'file' then "review_evidence"."content" is not null and "review_evidence"."sha256" is not null and "review_evidence"."file_name" is not null and "review_evidence"."media_type" is not null
        else "review_evidence"."computed" is not null end)
);
--> statement-breakpoint
CREATE TABLE "review_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"server_id" uuid NOT NULL,
	"grant_id" uuid,
	"control_id" text NOT NULL,
	"reason" text NOT NULL,
	"compensating_control" text NOT NULL,
	"granted_by_id" uuid NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by_id" uuid,
	CONSTRAINT "review_exceptions_bounded_ck" CHECK ("review_exceptions"."expires_at" > "review_exceptions"."granted_at" and "review_exceptions"."expires_at" <= "review_exceptions"."granted_at" + interval '90 days')
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject" "checklist_subject" NOT NULL,
	"server_id" uuid NOT NULL,
	"grant_id" uuid,
	"environment" "environment" NOT NULL,
	"checklist_version_id" uuid NOT NULL,
	"state" "review_state" DEFAULT 'draft' NOT NULL,
	"trigger" "review_trigger" DEFAULT 'owner' NOT NULL,
	"trigger_detail" text,
	"renewal" boolean DEFAULT false NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"required_approvals" integer DEFAULT 1 NOT NULL,
	"snapshot" jsonb,
	"round" integer DEFAULT 0 NOT NULL,
	"opened_by_id" uuid,
	"submitted_by_id" uuid,
	"submitted_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"assignee_id" uuid,
	"assigned_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"approved_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reviews_subject_ck" CHECK (("reviews"."subject" = 'grant') = ("reviews"."grant_id" is not null)),
	CONSTRAINT "reviews_required_approvals_ck" CHECK ("reviews"."required_approvals" between 1 and 2),
	CONSTRAINT "reviews_submitted_ck" CHECK ("reviews"."state" in ('draft', 'withdrawn') or "reviews"."submitted_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "servers" ADD COLUMN "re_review_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "servers" ADD COLUMN "re_review_reason" text;--> statement-breakpoint
ALTER TABLE "review_assessments" ADD CONSTRAINT "review_assessments_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_assessments" ADD CONSTRAINT "review_assessments_assessed_by_id_people_id_fk" FOREIGN KEY ("assessed_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_comments" ADD CONSTRAINT "review_comments_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_comments" ADD CONSTRAINT "review_comments_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_decider_id_people_id_fk" FOREIGN KEY ("decider_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_evidence" ADD CONSTRAINT "review_evidence_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_evidence" ADD CONSTRAINT "review_evidence_created_by_id_people_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_exceptions" ADD CONSTRAINT "review_exceptions_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_exceptions" ADD CONSTRAINT "review_exceptions_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_exceptions" ADD CONSTRAINT "review_exceptions_grant_id_access_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."access_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_exceptions" ADD CONSTRAINT "review_exceptions_granted_by_id_people_id_fk" FOREIGN KEY ("granted_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_exceptions" ADD CONSTRAINT "review_exceptions_revoked_by_id_people_id_fk" FOREIGN KEY ("revoked_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_grant_id_access_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."access_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_checklist_version_id_checklist_versions_id_fk" FOREIGN KEY ("checklist_version_id") REFERENCES "public"."checklist_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_opened_by_id_people_id_fk" FOREIGN KEY ("opened_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_submitted_by_id_people_id_fk" FOREIGN KEY ("submitted_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_assignee_id_people_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_comments_review_idx" ON "review_comments" USING btree ("review_id","created_at");--> statement-breakpoint
CREATE INDEX "review_decisions_review_idx" ON "review_decisions" USING btree ("review_id","created_at");--> statement-breakpoint
CREATE INDEX "review_evidence_review_idx" ON "review_evidence" USING btree ("review_id","control_id");--> statement-breakpoint
CREATE INDEX "review_exceptions_review_idx" ON "review_exceptions" USING btree ("review_id","control_id");--> statement-breakpoint
CREATE INDEX "review_exceptions_expiry_idx" ON "review_exceptions" USING btree ("expires_at") WHERE "review_exceptions"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_one_open_key" ON "reviews" USING btree (coalesce("grant_id", "server_id")) WHERE "reviews"."state" in ('draft', 'submitted', 'changes_requested');--> statement-breakpoint
CREATE INDEX "reviews_server_idx" ON "reviews" USING btree ("server_id","created_at");--> statement-breakpoint
CREATE INDEX "reviews_grant_idx" ON "reviews" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "reviews_queue_idx" ON "reviews" USING btree ("state","submitted_at");--> statement-breakpoint
CREATE INDEX "reviews_assignee_idx" ON "reviews" USING btree ("assignee_id","state");