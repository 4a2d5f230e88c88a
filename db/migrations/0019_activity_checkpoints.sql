CREATE TABLE "activity_checkpoints" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	CONSTRAINT "activity_checkpoints_seq_ck" CHECK ("activity_checkpoints"."seq" > 0)
);
--> statement-breakpoint
ALTER TABLE "activity_checkpoints" ADD CONSTRAINT "activity_checkpoints_key_id_audit_signing_keys_key_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."audit_signing_keys"("key_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Append-only, like the log it vouches for (steward_refuse_change is migration 0002's).
CREATE TRIGGER activity_checkpoints_append_only BEFORE UPDATE OR DELETE ON activity_checkpoints FOR EACH ROW EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
ALTER TABLE activity_checkpoints ENABLE ALWAYS TRIGGER activity_checkpoints_append_only;
--> statement-breakpoint
CREATE TRIGGER activity_checkpoints_no_truncate BEFORE TRUNCATE ON activity_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
ALTER TABLE activity_checkpoints ENABLE ALWAYS TRIGGER activity_checkpoints_no_truncate;
--> statement-breakpoint
-- The app role's grants (migration 0018) now withhold changes to these checkpoints too.
CREATE OR REPLACE FUNCTION steward_grant_app_role(p_role name) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_table text;
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', p_role);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', p_role);
  EXECUTE format('REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM %I', p_role);
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', p_role);
  FOR v_table IN
    SELECT unnest(ARRAY['activity_log', 'activity_checkpoints', 'audit_events', 'audit_event_ids', 'audit_checkpoints', 'audit_signing_keys', 'review_comments', 'review_decisions'])
    UNION ALL
    SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'audit_events'::regclass
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE ON %s FROM %I', v_table, p_role);
  END LOOP;
  EXECUTE format('REVOKE DELETE ON audit_sources FROM %I', p_role);
END;
$$;
