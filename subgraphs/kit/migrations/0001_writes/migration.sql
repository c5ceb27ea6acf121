-- Kit-owned tables every subgraph database carries: idempotent writes and the audit log.
CREATE TABLE IF NOT EXISTS "_kopdes_idempotency" (
  "key" TEXT PRIMARY KEY,
  "operation" TEXT NOT NULL,
  "request_hash" TEXT NOT NULL,
  "entity_id" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS "_kopdes_audit" (
  "id" BIGSERIAL PRIMARY KEY,
  "at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "actor" TEXT NOT NULL,
  "ministry" TEXT,
  "operation" TEXT NOT NULL,
  "entity" TEXT NOT NULL,
  "entity_id" TEXT NOT NULL,
  "before" JSONB,
  "after" JSONB,
  "idempotency_key" TEXT NOT NULL,
  "request_id" TEXT
);
CREATE INDEX IF NOT EXISTS "_kopdes_audit_entity_idx" ON "_kopdes_audit" ("entity", "entity_id");
