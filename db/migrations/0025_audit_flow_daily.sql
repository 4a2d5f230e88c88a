CREATE TABLE "audit_flow_daily" (
	"day" timestamp with time zone NOT NULL,
	"source_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"agent_client_id" text NOT NULL,
	"server_name" text NOT NULL,
	"tool_name" text NOT NULL,
	"events" bigint NOT NULL,
	CONSTRAINT "audit_flow_daily_pkey" PRIMARY KEY("day","source_id","decision","agent_client_id","server_name","tool_name")
);
--> statement-breakpoint
-- From what is rolled up so far (the roll-up adds the rest, up to each source's mark).
INSERT INTO audit_flow_daily (day, source_id, decision, agent_client_id, server_name, tool_name, events)
SELECT date_trunc('day', bucket, 'UTC'), source_id, decision, agent_client_id, server_name, tool_name, sum(events)
FROM audit_rollup
GROUP BY 1, 2, 3, 4, 5, 6;
