-- Audit events are evidence: never changed, never removed. Row triggers on the partitioned table
-- reach every partition; TRUNCATE triggers do not (they are per table), so each partition gets its
-- own when it is created. All ENABLE ALWAYS, so session_replication_role = replica does not switch
-- them off. The app's database role should also lack UPDATE, DELETE and TRUNCATE on these tables
-- (docs/audit-events.md, "Database role").
CREATE OR REPLACE FUNCTION steward_audit_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
--> statement-breakpoint
-- Creates the month's partition of audit_events (if missing), with its TRUNCATE guard.
CREATE OR REPLACE FUNCTION steward_audit_partition(p_month date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_from date := date_trunc('month', p_month)::date;
  v_to date := (date_trunc('month', p_month) + interval '1 month')::date;
  v_name text := 'audit_events_' || to_char(v_from, 'YYYY_MM');
BEGIN
  IF to_regclass(v_name) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)', v_name, v_from, v_to);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION steward_audit_refuse()', v_name || '_no_truncate', v_name);
    EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', v_name, v_name || '_no_truncate');
  END IF;
  RETURN v_name;
END;
$$;
--> statement-breakpoint
-- Events whose time falls outside every monthly partition (a gateway's clock far off) land here.
CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT;
--> statement-breakpoint
CREATE TRIGGER audit_events_default_no_truncate BEFORE TRUNCATE ON audit_events_default FOR EACH STATEMENT EXECUTE FUNCTION steward_audit_refuse();
--> statement-breakpoint
ALTER TABLE audit_events_default ENABLE ALWAYS TRIGGER audit_events_default_no_truncate;
--> statement-breakpoint
-- Three months back and three ahead (older or later events go to the default partition); the
-- scheduler adds the coming months as time passes.
SELECT steward_audit_partition((date_trunc('month', now()) + make_interval(months => m))::date) FROM generate_series(-3, 3) AS m;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION steward_audit_refuse();
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_append_only;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION steward_audit_refuse();
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_truncate;
--> statement-breakpoint
CREATE TRIGGER audit_event_ids_append_only BEFORE UPDATE OR DELETE ON audit_event_ids FOR EACH ROW EXECUTE FUNCTION steward_audit_refuse();
--> statement-breakpoint
ALTER TABLE audit_event_ids ENABLE ALWAYS TRIGGER audit_event_ids_append_only;
--> statement-breakpoint
CREATE TRIGGER audit_event_ids_no_truncate BEFORE TRUNCATE ON audit_event_ids FOR EACH STATEMENT EXECUTE FUNCTION steward_audit_refuse();
--> statement-breakpoint
ALTER TABLE audit_event_ids ENABLE ALWAYS TRIGGER audit_event_ids_no_truncate;
--> statement-breakpoint
-- A source's head only moves forward, one batch at a time; a source is never removed.
CREATE OR REPLACE FUNCTION steward_audit_source_forward() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit sources are never removed' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.id <> OLD.id OR NEW.name <> OLD.name OR NEW.created_at <> OLD.created_at OR NEW.head_seq < OLD.head_seq
     OR (NEW.head_seq = OLD.head_seq AND NEW.head_hash <> OLD.head_hash) THEN
    RAISE EXCEPTION 'an audit source''s chain head only moves forward' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_sources_forward BEFORE UPDATE OR DELETE ON audit_sources FOR EACH ROW EXECUTE FUNCTION steward_audit_source_forward();
--> statement-breakpoint
ALTER TABLE audit_sources ENABLE ALWAYS TRIGGER audit_sources_forward;
--> statement-breakpoint
CREATE TRIGGER audit_sources_no_truncate BEFORE TRUNCATE ON audit_sources FOR EACH STATEMENT EXECUTE FUNCTION steward_audit_refuse();
--> statement-breakpoint
ALTER TABLE audit_sources ENABLE ALWAYS TRIGGER audit_sources_no_truncate;
