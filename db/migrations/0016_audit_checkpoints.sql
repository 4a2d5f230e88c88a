-- The generated tables, plus their append-only triggers (hand-added after drizzle-kit generate).
CREATE TABLE "audit_checkpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_signing_keys" (
	"key_id" text PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_source_id_audit_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."audit_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_key_id_audit_signing_keys_key_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."audit_signing_keys"("key_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_checkpoints_source_seq_key" ON "audit_checkpoints" USING btree ("source_id","seq");--> statement-breakpoint
-- Checkpoints and signing keys are evidence too: append-only, whoever asks.
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION steward_audit_refuse();--> statement-breakpoint
ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_append_only;--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION steward_audit_refuse();--> statement-breakpoint
ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_no_truncate;--> statement-breakpoint
CREATE TRIGGER audit_signing_keys_append_only BEFORE UPDATE OR DELETE ON audit_signing_keys FOR EACH ROW EXECUTE FUNCTION steward_audit_refuse();--> statement-breakpoint
ALTER TABLE audit_signing_keys ENABLE ALWAYS TRIGGER audit_signing_keys_append_only;--> statement-breakpoint
CREATE TRIGGER audit_signing_keys_no_truncate BEFORE TRUNCATE ON audit_signing_keys FOR EACH STATEMENT EXECUTE FUNCTION steward_audit_refuse();--> statement-breakpoint
ALTER TABLE audit_signing_keys ENABLE ALWAYS TRIGGER audit_signing_keys_no_truncate;
