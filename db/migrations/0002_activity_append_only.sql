-- The activity log is evidence: once a row is written nobody edits or removes it, not even the
-- application. The triggers are ENABLE ALWAYS so that session_replication_role = replica (which
-- silences ordinary triggers) cannot switch them off.
CREATE OR REPLACE FUNCTION steward_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER activity_log_no_update_delete
  BEFORE UPDATE OR DELETE ON activity_log
  FOR EACH ROW EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
CREATE TRIGGER activity_log_no_truncate
  BEFORE TRUNCATE ON activity_log
  FOR EACH STATEMENT EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
ALTER TABLE activity_log ENABLE ALWAYS TRIGGER activity_log_no_update_delete;
--> statement-breakpoint
ALTER TABLE activity_log ENABLE ALWAYS TRIGGER activity_log_no_truncate;
