-- Hand-edited after drizzle-kit generate: audit_events is partitioned by month of occurred_at
-- (drizzle-kit cannot write partitioning); the partitions and the append-only rules are in 0015.
CREATE TABLE "audit_event_ids" (
	"source_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"payload_hash" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "audit_event_ids_source_id_event_id_pk" PRIMARY KEY("source_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"source_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"event_id" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"method" text NOT NULL,
	"agent_client_id" text NOT NULL,
	"person_email" text,
	"server_name" text,
	"tool_name" text,
	"decision" text NOT NULL,
	"classification" text,
	"result_bytes" bigint,
	"correlation_id" text,
	"event" jsonb NOT NULL,
	CONSTRAINT "audit_events_occurred_at_source_id_seq_pk" PRIMARY KEY("occurred_at","source_id","seq")
) PARTITION BY RANGE ("occurred_at");
--> statement-breakpoint
CREATE TABLE "audit_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"head_seq" bigint DEFAULT 0 NOT NULL,
	"head_hash" text DEFAULT repeat('0', 64) NOT NULL,
	"last_event_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_sources_name_ck" CHECK ("audit_sources"."name" ~ '^[a-z0-9][a-z0-9._-]*$' and length("audit_sources"."name") <= 100)
);
--> statement-breakpoint
CREATE INDEX "audit_events_chain_idx" ON "audit_events" USING btree ("source_id","seq");--> statement-breakpoint
CREATE INDEX "audit_events_time_brin" ON "audit_events" USING brin ("occurred_at");--> statement-breakpoint
CREATE INDEX "audit_events_server_idx" ON "audit_events" USING btree ("server_name","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_events_agent_idx" ON "audit_events" USING btree ("agent_client_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_sources_name_key" ON "audit_sources" USING btree ("name");