-- A probe run is evidence: it is written as it goes (queued, running, each check appended) and frozen
-- once it completes or fails. What it ran against, who asked and when never change; runs are never
-- deleted. ENABLE ALWAYS so that a session with session_replication_role = replica is held too.
CREATE OR REPLACE FUNCTION steward_probe_run_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'probe runs are evidence and are never deleted' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status IN ('completed', 'failed') THEN
    RAISE EXCEPTION 'a finished probe run cannot change (this one is %)', OLD.status USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (NEW.id, NEW.server_id, NEW.mode, NEW.trigger, NEW.target_url, NEW.protocol_version, NEW.protocol_version_source,
      NEW.requested_by_id, NEW.requested_by, NEW.queued_at)
      IS DISTINCT FROM (OLD.id, OLD.server_id, OLD.mode, OLD.trigger, OLD.target_url, OLD.protocol_version, OLD.protocol_version_source,
      OLD.requested_by_id, OLD.requested_by, OLD.queued_at) THEN
    RAISE EXCEPTION 'what a probe run ran against, and who asked, never change' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status = 'running' AND NEW.status = 'queued' THEN
    RAISE EXCEPTION 'a running probe run cannot go back to the queue' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER probe_runs_frozen BEFORE UPDATE OR DELETE ON probe_runs FOR EACH ROW EXECUTE FUNCTION steward_probe_run_frozen();
--> statement-breakpoint
CREATE TRIGGER probe_runs_no_truncate BEFORE TRUNCATE ON probe_runs FOR EACH STATEMENT EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
ALTER TABLE probe_runs ENABLE ALWAYS TRIGGER probe_runs_frozen;
--> statement-breakpoint
ALTER TABLE probe_runs ENABLE ALWAYS TRIGGER probe_runs_no_truncate;
