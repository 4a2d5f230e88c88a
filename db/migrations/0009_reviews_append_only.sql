-- What a review rests on cannot be rewritten afterwards, whoever asks (the application, a script, a
-- console session): evidence is frozen once its review is submitted; comments and decisions are
-- never changed or removed; assessments change only while a review is under review; an exception
-- can only be withdrawn; a review moves only along its workflow, never changes its checklist version,
-- and is never deleted.
CREATE OR REPLACE FUNCTION steward_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_review_evidence_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_state text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT state::text INTO v_state FROM reviews WHERE id = NEW.review_id;
    -- Owners add evidence before submitting (or after changes are requested); Steward may add its
    -- own computed evidence (inventory, probe) to a submitted review, frozen as it is written.
    IF NOT (v_state IN ('draft', 'changes_requested')
            OR (v_state = 'submitted' AND NEW.kind IN ('inventory', 'probe') AND NEW.submitted_at IS NOT NULL)) THEN
      RAISE EXCEPTION 'evidence can only be added to a draft review or one sent back for changes (this one is %)', v_state
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.submitted_at IS NOT NULL THEN
    RAISE EXCEPTION 'submitted evidence cannot change: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.review_id, NEW.control_id, NEW.kind, NEW.round, NEW.statement, NEW.url, NEW.file_name, NEW.media_type,
      NEW.size_bytes, NEW.sha256, NEW.content, NEW.computed::text, NEW.created_by_id, NEW.created_at)
      IS DISTINCT FROM (OLD.review_id, OLD.control_id, OLD.kind, OLD.round, OLD.statement, OLD.url, OLD.file_name, OLD.media_type,
      OLD.size_bytes, OLD.sha256, OLD.content, OLD.computed::text, OLD.created_by_id, OLD.created_at) THEN
    RAISE EXCEPTION 'evidence is never edited, only submitted or removed before submission' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER review_evidence_frozen
  BEFORE INSERT OR UPDATE OR DELETE ON review_evidence
  FOR EACH ROW EXECUTE FUNCTION steward_review_evidence_frozen();
--> statement-breakpoint
CREATE TRIGGER review_evidence_no_truncate BEFORE TRUNCATE ON review_evidence FOR EACH STATEMENT EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
CREATE TRIGGER review_comments_append_only BEFORE UPDATE OR DELETE ON review_comments FOR EACH ROW EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
CREATE TRIGGER review_comments_no_truncate BEFORE TRUNCATE ON review_comments FOR EACH STATEMENT EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
CREATE TRIGGER review_decisions_append_only BEFORE UPDATE OR DELETE ON review_decisions FOR EACH ROW EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
CREATE TRIGGER review_decisions_no_truncate BEFORE TRUNCATE ON review_decisions FOR EACH STATEMENT EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_review_assessments_open() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_state text;
BEGIN
  SELECT state::text INTO v_state FROM reviews WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.review_id ELSE NEW.review_id END);
  IF v_state IS DISTINCT FROM 'submitted' THEN
    RAISE EXCEPTION 'assessments change only while a review is submitted (this one is %)', coalesce(v_state, 'gone')
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER review_assessments_open
  BEFORE INSERT OR UPDATE OR DELETE ON review_assessments
  FOR EACH ROW EXECUTE FUNCTION steward_review_assessments_open();
--> statement-breakpoint
CREATE TRIGGER review_assessments_no_truncate BEFORE TRUNCATE ON review_assessments FOR EACH STATEMENT EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_review_exceptions_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.revoked_at IS NOT NULL
     OR (NEW.review_id, NEW.server_id, NEW.grant_id, NEW.control_id, NEW.reason, NEW.compensating_control, NEW.granted_by_id, NEW.granted_at, NEW.expires_at)
        IS DISTINCT FROM (OLD.review_id, OLD.server_id, OLD.grant_id, OLD.control_id, OLD.reason, OLD.compensating_control, OLD.granted_by_id, OLD.granted_at, OLD.expires_at) THEN
    RAISE EXCEPTION 'an exception can only be withdrawn, once' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER review_exceptions_frozen BEFORE UPDATE OR DELETE ON review_exceptions FOR EACH ROW EXECUTE FUNCTION steward_review_exceptions_frozen();
--> statement-breakpoint
CREATE TRIGGER review_exceptions_no_truncate BEFORE TRUNCATE ON review_exceptions FOR EACH STATEMENT EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_review_workflow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'reviews are never deleted; withdraw a draft instead' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (NEW.subject, NEW.server_id, NEW.grant_id, NEW.checklist_version_id, NEW.created_at)
     IS DISTINCT FROM (OLD.subject, OLD.server_id, OLD.grant_id, OLD.checklist_version_id, OLD.created_at) THEN
    RAISE EXCEPTION 'a review keeps its subject and checklist version' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.state <> 'draft' AND OLD.state <> 'changes_requested' AND NEW.snapshot::text IS DISTINCT FROM OLD.snapshot::text THEN
    RAISE EXCEPTION 'the snapshot of a % review cannot change', OLD.state USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.state <> OLD.state AND NOT (
       (OLD.state = 'draft' AND NEW.state IN ('submitted', 'withdrawn'))
    OR (OLD.state = 'submitted' AND NEW.state IN ('changes_requested', 'approved', 'rejected', 'withdrawn'))
    OR (OLD.state = 'changes_requested' AND NEW.state IN ('submitted', 'withdrawn'))
    OR (OLD.state = 'approved' AND NEW.state = 'superseded')) THEN
    RAISE EXCEPTION 'a review cannot go from % to %', OLD.state, NEW.state USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.state IN ('approved', 'rejected', 'withdrawn', 'superseded') AND NEW.state = OLD.state THEN
    RAISE EXCEPTION 'a % review is a final record', OLD.state USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.state = 'approved' AND (NEW.approved_until, NEW.decided_at) IS DISTINCT FROM (OLD.approved_until, OLD.decided_at) THEN
    RAISE EXCEPTION 'an approval is a final record' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER reviews_workflow BEFORE UPDATE OR DELETE ON reviews FOR EACH ROW EXECUTE FUNCTION steward_review_workflow();
--> statement-breakpoint
CREATE TRIGGER reviews_no_truncate BEFORE TRUNCATE ON reviews FOR EACH STATEMENT EXECUTE FUNCTION steward_refuse_change();
--> statement-breakpoint
ALTER TABLE review_evidence ENABLE ALWAYS TRIGGER review_evidence_frozen;
--> statement-breakpoint
ALTER TABLE review_evidence ENABLE ALWAYS TRIGGER review_evidence_no_truncate;
--> statement-breakpoint
ALTER TABLE review_comments ENABLE ALWAYS TRIGGER review_comments_append_only;
--> statement-breakpoint
ALTER TABLE review_comments ENABLE ALWAYS TRIGGER review_comments_no_truncate;
--> statement-breakpoint
ALTER TABLE review_decisions ENABLE ALWAYS TRIGGER review_decisions_append_only;
--> statement-breakpoint
ALTER TABLE review_decisions ENABLE ALWAYS TRIGGER review_decisions_no_truncate;
--> statement-breakpoint
ALTER TABLE review_assessments ENABLE ALWAYS TRIGGER review_assessments_open;
--> statement-breakpoint
ALTER TABLE review_assessments ENABLE ALWAYS TRIGGER review_assessments_no_truncate;
--> statement-breakpoint
ALTER TABLE review_exceptions ENABLE ALWAYS TRIGGER review_exceptions_frozen;
--> statement-breakpoint
ALTER TABLE review_exceptions ENABLE ALWAYS TRIGGER review_exceptions_no_truncate;
--> statement-breakpoint
ALTER TABLE reviews ENABLE ALWAYS TRIGGER reviews_workflow;
--> statement-breakpoint
ALTER TABLE reviews ENABLE ALWAYS TRIGGER reviews_no_truncate;
