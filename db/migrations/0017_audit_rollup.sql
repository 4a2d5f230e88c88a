CREATE TABLE "audit_rollup" (
	"bucket" timestamp with time zone NOT NULL,
	"source_id" uuid NOT NULL,
	"server_name" text NOT NULL,
	"agent_client_id" text NOT NULL,
	"person_email" text NOT NULL,
	"tool_name" text NOT NULL,
	"method" text NOT NULL,
	"decision" text NOT NULL,
	"classification" text NOT NULL,
	"events" bigint NOT NULL,
	CONSTRAINT "audit_rollup_pkey" PRIMARY KEY("bucket","source_id","server_name","agent_client_id","person_email","tool_name","method","decision","classification")
);
--> statement-breakpoint
CREATE TABLE "audit_saved_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_saved_views" ADD CONSTRAINT "audit_saved_views_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_rollup_server_idx" ON "audit_rollup" USING btree ("server_name","bucket");--> statement-breakpoint
CREATE INDEX "audit_rollup_agent_idx" ON "audit_rollup" USING btree ("agent_client_id","bucket");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_saved_views_person_name_key" ON "audit_saved_views" USING btree ("person_id","name");