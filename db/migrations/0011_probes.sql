CREATE TABLE "probe_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"server_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"trigger" text NOT NULL,
	"target_url" text NOT NULL,
	"protocol_version" text NOT NULL,
	"protocol_version_source" text NOT NULL,
	"requested_by_id" uuid,
	"requested_by" text NOT NULL,
	"checks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"counts" jsonb,
	"error" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	CONSTRAINT "probe_runs_mode_ck" CHECK ("probe_runs"."mode" in ('anonymous', 'active')),
	CONSTRAINT "probe_runs_status_ck" CHECK ("probe_runs"."status" in ('queued', 'running', 'completed', 'failed')),
	CONSTRAINT "probe_runs_trigger_ck" CHECK ("probe_runs"."trigger" in ('console', 'api', 'schedule')),
	CONSTRAINT "probe_runs_version_source_ck" CHECK ("probe_runs"."protocol_version_source" in ('requested', 'server', 'default')),
	CONSTRAINT "probe_runs_finished_ck" CHECK (("probe_runs"."status" in ('completed', 'failed')) = ("probe_runs"."finished_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "servers" ADD COLUMN "probe_active_opt_in" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "servers" ADD COLUMN "probe_step_up_tool" text;--> statement-breakpoint
ALTER TABLE "probe_runs" ADD CONSTRAINT "probe_runs_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "probe_runs" ADD CONSTRAINT "probe_runs_requested_by_id_people_id_fk" FOREIGN KEY ("requested_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "probe_runs_server_idx" ON "probe_runs" USING btree ("server_id","queued_at");--> statement-breakpoint
CREATE INDEX "probe_runs_open_idx" ON "probe_runs" USING btree ("status") WHERE "probe_runs"."status" in ('queued', 'running');