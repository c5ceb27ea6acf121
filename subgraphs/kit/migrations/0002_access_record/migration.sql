-- The personal-data access record (UU 27/2022 PDP Art. 31): one row per person whose personal
-- data a request read, written in the transaction that read it. Append-only and hash-chained:
-- each row holds the sha256 of its own canonical form and of the row before it (prev_hash), so
-- `npm run access:verify` detects an edited or deleted row. Rows are numbered 1, 2, 3... without gaps.
CREATE TABLE IF NOT EXISTS "_kopdes_access_record" (
  "id" BIGINT PRIMARY KEY,
  -- 'read', or 'checkpoint' (pruning: detail holds the last pruned row's id and hash)
  "kind" TEXT NOT NULL CHECK ("kind" IN ('read', 'checkpoint')),
  "at" TIMESTAMPTZ NOT NULL,
  "request_id" TEXT,
  "reader_subject" TEXT,
  "reader_role" TEXT,
  "reader_ministry" TEXT,
  "purpose" TEXT,
  -- whose data: the person's reference (a board member's NIK) and the records holding it
  "data_subject" TEXT,
  "entity" TEXT,
  "entity_ids" TEXT[],
  "fields" TEXT[],
  "detail" TEXT,
  "prev_hash" TEXT NOT NULL,
  "hash" TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS "_kopdes_access_record_subject_idx" ON "_kopdes_access_record" ("data_subject", "id");
CREATE INDEX IF NOT EXISTS "_kopdes_access_record_reader_idx" ON "_kopdes_access_record" ("reader_subject", "id");
CREATE INDEX IF NOT EXISTS "_kopdes_access_record_at_idx" ON "_kopdes_access_record" ("at");
CREATE INDEX IF NOT EXISTS "_kopdes_access_record_request_idx" ON "_kopdes_access_record" ("request_id");

-- Append-only in the database too: no UPDATE or TRUNCATE ever; DELETE only by retention pruning,
-- which announces itself in its own transaction (SET LOCAL kopdes.access_record_prune = 'on').
-- Production should also grant the subgraph's role INSERT and SELECT only on this table.
CREATE OR REPLACE FUNCTION "_kopdes_access_record_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('kopdes.access_record_prune', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the personal-data access record is append-only: % refused', TG_OP;
END $$;
DROP TRIGGER IF EXISTS "_kopdes_access_record_no_change" ON "_kopdes_access_record";
CREATE TRIGGER "_kopdes_access_record_no_change" BEFORE UPDATE OR DELETE ON "_kopdes_access_record"
  FOR EACH ROW EXECUTE FUNCTION "_kopdes_access_record_append_only"();
DROP TRIGGER IF EXISTS "_kopdes_access_record_no_truncate" ON "_kopdes_access_record";
CREATE TRIGGER "_kopdes_access_record_no_truncate" BEFORE TRUNCATE ON "_kopdes_access_record"
  FOR EACH STATEMENT EXECUTE FUNCTION "_kopdes_access_record_append_only"();
