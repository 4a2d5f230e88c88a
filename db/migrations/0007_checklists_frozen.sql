-- A published checklist version is what reviews were judged against: its controls never change
-- again, whoever asks (the application, a script, a console session). Only a draft's controls can
-- be inserted, changed or removed; a version itself may only go draft → published → superseded,
-- keeping its number, title and notes once published; and only a draft may be deleted.
CREATE OR REPLACE FUNCTION steward_checklist_controls_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_state text;
BEGIN
  SELECT state::text INTO v_state FROM checklist_versions
   WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.version_id ELSE NEW.version_id END);
  -- Deleting a draft cascades to its controls after the version row is gone (only a draft can be
  -- deleted, see below), so a missing version on DELETE is that cascade.
  IF v_state IS NULL AND TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  IF v_state IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION 'checklist version is %: its controls cannot change', coalesce(v_state, 'gone')
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.version_id <> OLD.version_id THEN
    RAISE EXCEPTION 'a control cannot move to another checklist version' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER checklist_controls_frozen
  BEFORE INSERT OR UPDATE OR DELETE ON checklist_controls
  FOR EACH ROW EXECUTE FUNCTION steward_checklist_controls_frozen();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_checklist_versions_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.state <> 'draft' THEN
      RAISE EXCEPTION 'a % checklist version cannot be deleted', OLD.state USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.state = 'draft' THEN
    RETURN NEW;
  END IF;
  IF NEW.version <> OLD.version OR NEW.title <> OLD.title OR NEW.notes <> OLD.notes
     OR NEW.based_on_id IS DISTINCT FROM OLD.based_on_id OR NEW.published_at IS DISTINCT FROM OLD.published_at
     OR NEW.published_by_id IS DISTINCT FROM OLD.published_by_id THEN
    RAISE EXCEPTION 'a % checklist version cannot be edited', OLD.state USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NOT (NEW.state = OLD.state OR (OLD.state = 'published' AND NEW.state = 'superseded')) THEN
    RAISE EXCEPTION 'a checklist version cannot go from % to %', OLD.state, NEW.state USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.state = 'superseded' AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at THEN
    RAISE EXCEPTION 'a superseded checklist version cannot be edited' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER checklist_versions_frozen
  BEFORE UPDATE OR DELETE ON checklist_versions
  FOR EACH ROW EXECUTE FUNCTION steward_checklist_versions_frozen();
--> statement-breakpoint
ALTER TABLE checklist_controls ENABLE ALWAYS TRIGGER checklist_controls_frozen;
--> statement-breakpoint
ALTER TABLE checklist_versions ENABLE ALWAYS TRIGGER checklist_versions_frozen;
