-- The rollup starts from the events already stored (afterwards ingestion keeps it current).
INSERT INTO audit_rollup (bucket, source_id, server_name, agent_client_id, person_email, tool_name, method, decision, classification, events)
SELECT date_trunc('hour', occurred_at), source_id, coalesce(server_name, ''), agent_client_id, coalesce(person_email, ''), coalesce(tool_name, ''), method, decision, coalesce(classification, ''), count(*)
FROM audit_events
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
-- The scheduler creates next months' partitions while running as the app's role, which may not
-- create tables: the function runs with its owner's rights (the role that migrates).
ALTER FUNCTION steward_audit_partition(date) SECURITY DEFINER SET search_path = public, pg_temp;
--> statement-breakpoint
-- Grants for the role the app connects as, when it is not the role that owns the tables (run by
-- `npm run db:migrate` when STEWARD_DB_APP_ROLE is set; docs/audit-events.md). It may read and write
-- the working tables, but evidence only grows: no UPDATE, DELETE or TRUNCATE on the activity log,
-- audit events, their ids, checkpoints, signing keys, review comments and decisions; audit sources
-- may be updated (the chain head moves forward; a trigger holds it to that) but not deleted. The
-- triggers refuse the same changes whatever the role: the grants are the second lock.
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
    SELECT unnest(ARRAY['activity_log', 'audit_events', 'audit_event_ids', 'audit_checkpoints', 'audit_signing_keys', 'review_comments', 'review_decisions'])
    UNION ALL
    SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'audit_events'::regclass
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE ON %s FROM %I', v_table, p_role);
  END LOOP;
  EXECUTE format('REVOKE DELETE ON audit_sources FROM %I', p_role);
END;
$$;
