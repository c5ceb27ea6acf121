import { createHash } from 'node:crypto';
import type { SqlExecutor } from './migrate';
import type { Caller } from './subgraph';
import type { RawSql } from './writes';

/**
 * The personal-data access record (`_kopdes_access_record`, a kit table in every subgraph's own
 * database): one row per person whose personal data a request read, chained by sha256 so that
 * an edit or a deletion shows (see the kit migration 0002_access_record). Appends are serialised
 * by a transaction-scoped advisory lock, so concurrent requests still make one chain; PGlite has
 * one connection and serialises them anyway.
 */
export const ACCESS_RECORD = '_kopdes_access_record';
export const GENESIS_HASH = '0'.repeat(64);
/** The advisory lock that serialises appends and pruning (per database). */
const CHAIN_LOCK = 7_315_270_001;

/**
 * Days a read stays on record (ACCESS_RECORD_RETENTION_DAYS). Default 5 years (1,826 days): long
 * enough for a data subject's request or a complaint about an old read, not forever; set it to
 * the agency's records retention schedule (Jadwal Retensi Arsip).
 */
export function retentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ACCESS_RECORD_RETENTION_DAYS;
  if (raw === undefined || raw === '') return 1826;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1) throw new Error(`ACCESS_RECORD_RETENTION_DAYS must be a whole number of days (at least 1); got "${raw}".`);
  return days;
}

export interface AccessRecordRow {
  id: string;
  kind: 'read' | 'checkpoint';
  at: Date;
  requestId: string | null;
  readerSubject: string | null;
  readerRole: string | null;
  readerMinistry: string | null;
  purpose: string | null;
  dataSubject: string | null;
  entity: string | null;
  entityIds: string[] | null;
  fields: string[] | null;
  /** Checkpoint rows: JSON text (kept verbatim so its hash holds). */
  detail: string | null;
  prevHash: string;
  hash: string;
}

export interface Checkpoint {
  prunedThroughId: string;
  lastPrunedHash: string;
  prunedRows: number;
  cutoff: string;
}

/** The canonical form a row's hash covers: every column but the hash, in a fixed order. */
export function canonicalRow(row: Omit<AccessRecordRow, 'hash'>): string {
  return JSON.stringify([
    row.id,
    row.kind,
    row.at.toISOString(),
    row.requestId,
    row.readerSubject,
    row.readerRole,
    row.readerMinistry,
    row.purpose,
    row.dataSubject,
    row.entity,
    row.entityIds,
    row.fields,
    row.detail,
    row.prevHash,
  ]);
}

export function rowHash(row: Omit<AccessRecordRow, 'hash'>): string {
  return createHash('sha256').update(canonicalRow(row)).digest('hex');
}

/**
 * Columns read back in a form every driver returns alike (ids and times as text, arrays as JSON).
 * `id` is then text: order by the table's column ("${ACCESS_RECORD}".id), or '9' sorts after '28'.
 */
export const ROW_COLUMNS = `id::text AS id, kind, (extract(epoch FROM at) * 1000)::bigint::text AS at_ms, request_id, reader_subject, reader_role, reader_ministry,
  purpose, data_subject, entity, to_json(entity_ids)::text AS entity_ids, to_json(fields)::text AS fields, detail, prev_hash, hash`;

export interface StoredRow {
  id: string;
  kind: string;
  at_ms: string;
  request_id: string | null;
  reader_subject: string | null;
  reader_role: string | null;
  reader_ministry: string | null;
  purpose: string | null;
  data_subject: string | null;
  entity: string | null;
  entity_ids: string | null;
  fields: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export function fromStored(r: StoredRow): AccessRecordRow {
  return {
    id: r.id,
    kind: r.kind as AccessRecordRow['kind'],
    at: new Date(Number(r.at_ms)),
    requestId: r.request_id,
    readerSubject: r.reader_subject,
    readerRole: r.reader_role,
    readerMinistry: r.reader_ministry,
    purpose: r.purpose,
    dataSubject: r.data_subject,
    entity: r.entity,
    entityIds: r.entity_ids === null ? null : (JSON.parse(r.entity_ids) as string[]),
    fields: r.fields === null ? null : (JSON.parse(r.fields) as string[]),
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** RawSql over the kit's SqlExecutor (migrations, scripts), so one code path serves both. */
export function rawSql(sql: SqlExecutor): RawSql {
  return {
    $queryRawUnsafe: <T>(query: string, ...values: unknown[]) => sql.query(query, values) as Promise<T>,
    $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await sql.query(query, values)).length,
  };
}

async function lockAndHead(tx: RawSql): Promise<{ id: bigint; hash: string; at: number }> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const [head] = await tx.$queryRawUnsafe<{ id: string; hash: string; at_ms: string }[]>(
    `SELECT id::text AS id, hash, (extract(epoch FROM at) * 1000)::bigint::text AS at_ms FROM "${ACCESS_RECORD}" ORDER BY "${ACCESS_RECORD}".id DESC LIMIT 1`,
  );
  return head ? { id: BigInt(head.id), hash: head.hash, at: Number(head.at_ms) } : { id: 0n, hash: GENESIS_HASH, at: 0 };
}

/** Chains `rows` after the head and inserts them in one statement. */
async function appendRows(
  tx: RawSql,
  head: { id: bigint; hash: string; at: number },
  rows: Omit<AccessRecordRow, 'id' | 'hash' | 'prevHash' | 'at'>[],
): Promise<AccessRecordRow[]> {
  // Times never go backwards along the chain (pruning cuts by time), whatever the clock does.
  const at = new Date(Math.max(Date.now(), head.at));
  let { id, hash } = head;
  const chained = rows.map((row) => {
    id += 1n;
    const unhashed = { ...row, id: id.toString(), at, prevHash: hash };
    hash = rowHash(unhashed);
    return { ...unhashed, hash };
  });
  if (chained.length === 0) return chained;
  await tx.$executeRawUnsafe(
    `INSERT INTO "${ACCESS_RECORD}" (id, kind, at, request_id, reader_subject, reader_role, reader_ministry, purpose, data_subject, entity, entity_ids, fields, detail, prev_hash, hash)
     SELECT id, kind, at, "requestId", "readerSubject", "readerRole", "readerMinistry", purpose, "dataSubject", entity, "entityIds", fields, detail, "prevHash", hash
       FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, kind text, at timestamptz, "requestId" text, "readerSubject" text, "readerRole" text, "readerMinistry" text,
            purpose text, "dataSubject" text, entity text, "entityIds" text[], fields text[], detail text, "prevHash" text, hash text)`,
    JSON.stringify(chained),
  );
  return chained;
}

export interface PersonalRead {
  requestId: string;
  caller: Caller;
  purpose: string;
  entity: string;
  /** Personal fields read ("Type.field"), the same for every person of the read. */
  fields: string[];
  /** Data subject → ids of the records (entities) their data was read from. */
  persons: Map<string, Set<string>>;
}

/**
 * Records a read inside the caller's transaction: one row per person and request. A person this
 * request already has a row for is recorded again only if this read covers a field or a record
 * that row does not (the same request reading more of them later); otherwise nothing is added.
 */
export async function recordRead(tx: RawSql, read: PersonalRead): Promise<number> {
  if (read.persons.size === 0) return 0;
  const head = await lockAndHead(tx);
  const earlier = await tx.$queryRawUnsafe<{ data_subject: string; entity_ids: string; fields: string }[]>(
    `SELECT data_subject, to_json(entity_ids)::text AS entity_ids, to_json(fields)::text AS fields FROM "${ACCESS_RECORD}"
      WHERE request_id = $1 AND kind = 'read' AND entity = $2 AND data_subject = ANY($3)`,
    read.requestId,
    read.entity,
    [...read.persons.keys()],
  );
  const covered = (subject: string, ids: Set<string>) =>
    earlier.some((row) => {
      if (row.data_subject !== subject) return false;
      const fields = JSON.parse(row.fields) as string[];
      const entities = JSON.parse(row.entity_ids) as string[];
      return read.fields.every((f) => fields.includes(f)) && [...ids].every((id) => entities.includes(id));
    });
  const rows = [...read.persons]
    .filter(([subject, ids]) => !covered(subject, ids))
    .map(([subject, ids]) => ({
      kind: 'read' as const,
      requestId: read.requestId,
      readerSubject: read.caller.subject,
      readerRole: read.caller.role,
      readerMinistry: read.caller.ministry ?? null,
      purpose: read.purpose,
      dataSubject: subject,
      entity: read.entity,
      entityIds: [...ids].sort(),
      fields: read.fields,
      detail: null,
    }));
  return (await appendRows(tx, head, rows)).length;
}

/**
 * Deletes rows older than `retentionDays` and appends a checkpoint holding the last deleted row's
 * id and hash, so the rows kept still verify: the first of them points at that hash.
 */
export async function pruneAccessRecord(sql: SqlExecutor, retentionDays: number, now = new Date()): Promise<{ pruned: number; checkpoint?: Checkpoint }> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  return sql.transaction(async (executor) => {
    const tx = rawSql(executor);
    const head = await lockAndHead(tx);
    const [last] = await tx.$queryRawUnsafe<{ id: string; hash: string }[]>(
      `SELECT id::text AS id, hash FROM "${ACCESS_RECORD}" WHERE at < $1 ORDER BY "${ACCESS_RECORD}".id DESC LIMIT 1`,
      cutoff.toISOString(),
    );
    if (!last) return { pruned: 0 };
    await tx.$queryRawUnsafe(`SELECT set_config('kopdes.access_record_prune', 'on', true)`);
    const [{ n }] = (await tx.$queryRawUnsafe<{ n: string }[]>(
      `WITH gone AS (DELETE FROM "${ACCESS_RECORD}" WHERE id <= $1::bigint RETURNING 1) SELECT count(*)::text AS n FROM gone`,
      last.id,
    )) as [{ n: string }];
    await tx.$queryRawUnsafe(`SELECT set_config('kopdes.access_record_prune', 'off', true)`);
    const checkpoint: Checkpoint = { prunedThroughId: last.id, lastPrunedHash: last.hash, prunedRows: Number(n), cutoff: cutoff.toISOString() };
    await appendRows(tx, head, [
      {
        kind: 'checkpoint',
        requestId: null,
        readerSubject: null,
        readerRole: null,
        readerMinistry: null,
        purpose: null,
        dataSubject: null,
        entity: null,
        entityIds: null,
        fields: null,
        detail: JSON.stringify(checkpoint),
      },
    ]);
    return { pruned: Number(n), checkpoint };
  });
}
