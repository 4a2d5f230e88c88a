CREATE TABLE "audit_hourly" (
	"bucket" timestamp with time zone NOT NULL,
	"source_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"events" bigint NOT NULL,
	CONSTRAINT "audit_hourly_pkey" PRIMARY KEY("bucket","source_id","decision")
);
--> statement-breakpoint
CREATE TABLE "audit_rollup_marks" (
	"source_id" uuid PRIMARY KEY NOT NULL,
	"rolled_seq" bigint DEFAULT 0 NOT NULL,
	"rolled_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_rollup_marks" ADD CONSTRAINT "audit_rollup_marks_source_id_audit_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."audit_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Until now the rollups were kept in the ingest transaction: every source's events are in them
-- up to its head.
INSERT INTO audit_hourly (bucket, source_id, decision, events)
SELECT bucket, source_id, decision, sum(events) FROM audit_timeline GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO audit_rollup_marks (source_id, rolled_seq) SELECT id, head_seq FROM audit_sources;
