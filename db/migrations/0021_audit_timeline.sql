CREATE TABLE "audit_timeline" (
	"bucket" timestamp with time zone NOT NULL,
	"source_id" uuid NOT NULL,
	"server_name" text NOT NULL,
	"decision" text NOT NULL,
	"events" bigint NOT NULL,
	CONSTRAINT "audit_timeline_pkey" PRIMARY KEY("bucket","source_id","server_name","decision")
);
--> statement-breakpoint
CREATE INDEX "audit_timeline_server_idx" ON "audit_timeline" USING btree ("server_name","bucket");--> statement-breakpoint
-- Filled from the full rollup (afterwards ingestion keeps it current in the same statement).
INSERT INTO audit_timeline (bucket, source_id, server_name, decision, events)
SELECT bucket, source_id, server_name, decision, sum(events) FROM audit_rollup GROUP BY 1, 2, 3, 4;
