CREATE TABLE "audit_facet_counts" (
	"facet" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"source_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"value" text NOT NULL,
	"events" bigint NOT NULL,
	CONSTRAINT "audit_facet_counts_pkey" PRIMARY KEY("facet","bucket","source_id","decision","value")
);
--> statement-breakpoint
-- From what is rolled up so far (the roll-up adds the rest, up to each source's mark).
INSERT INTO audit_facet_counts (facet, bucket, source_id, decision, value, events)
SELECT v.facet, r.bucket, r.source_id, r.decision, v.value, sum(r.events)
FROM audit_rollup r
CROSS JOIN LATERAL (VALUES ('agent', r.agent_client_id), ('person', r.person_email), ('server', r.server_name), ('tool', r.tool_name), ('classification', r.classification)) AS v(facet, value)
WHERE v.value <> ''
GROUP BY 1, 2, 3, 4, 5;
