import { ACCESS_RECORD, fromStored, GENESIS_HASH, ROW_COLUMNS, rowHash, type AccessRecordRow, type Checkpoint, type StoredRow } from './access-record';
import type { RawSql } from './writes';

export interface VerifyResult {
  ok: boolean;
  /** Rows checked (reads and checkpoints). */
  rows: number;
  /** The last row: note its hash elsewhere (and pass it to `--head` later) to detect a cut-off tail. */
  head?: { id: string; hash: string; at: Date };
  /** The first row that does not verify, and why. */
  bad?: { id: string; reason: string };
}

const PAGE = 5_000;

/**
 * Walks the access record in order and checks the chain: ids without gaps, each row's hash over
 * its canonical form, each prev_hash equal to the row before's hash, and a first row that is
 * either the genesis or accounted for by a checkpoint (retention pruning). Stops at the first bad
 * row. `expectHead`, a hash seen earlier, must still be in the chain (a deleted tail shows).
 */
export async function verifyAccessRecord(db: RawSql, options: { expectHead?: string } = {}): Promise<VerifyResult> {
  const checkpoints = (await db.$queryRawUnsafe<{ detail: string }[]>(`SELECT detail FROM "${ACCESS_RECORD}" WHERE kind = 'checkpoint'`)).map(
    (r) => JSON.parse(r.detail) as Checkpoint,
  );
  let previous: AccessRecordRow | undefined;
  let rows = 0;
  let sawExpected = options.expectHead === undefined;
  for (let after = '-1'; ;) {
    const page = (
      await db.$queryRawUnsafe<StoredRow[]>(
        `SELECT ${ROW_COLUMNS} FROM "${ACCESS_RECORD}" WHERE id > $1::bigint ORDER BY "${ACCESS_RECORD}".id LIMIT ${PAGE}`,
        after,
      )
    ).map(fromStored);
    for (const row of page) {
      const bad = (reason: string, id = row.id): VerifyResult => ({ ok: false, rows, head: previous && headOf(previous), bad: { id, reason } });
      if (!previous) {
        if (row.prevHash !== GENESIS_HASH) {
          const checkpoint = checkpoints.find((c) => c.lastPrunedHash === row.prevHash && BigInt(c.prunedThroughId) === BigInt(row.id) - 1n);
          if (!checkpoint) {
            return bad(
              `row ${row.id} is the first row but does not start the chain, and no checkpoint accounts for the rows before it: rows ${row.id === '1' ? '' : `1-${BigInt(row.id) - 1n} `}were deleted outside retention pruning`,
            );
          }
        } else if (row.id !== '1') {
          return bad(`row ${row.id} starts the chain but rows 1-${BigInt(row.id) - 1n} are missing: they were deleted`);
        }
      } else if (BigInt(row.id) !== BigInt(previous.id) + 1n) {
        const first = BigInt(previous.id) + 1n;
        const missing = BigInt(row.id) - 1n === first ? `row ${first} is` : `rows ${first}-${BigInt(row.id) - 1n} are`;
        return bad(`${missing} missing (deleted) between rows ${previous.id} and ${row.id}`, first.toString());
      } else if (row.prevHash !== previous.hash) {
        return bad(
          `row ${previous.id} was changed: row ${row.id} records a different hash for it (prev_hash ${row.prevHash.slice(0, 12)}…, now ${previous.hash.slice(0, 12)}…)`,
          previous.id,
        );
      }
      const { hash, ...unhashed } = row;
      if (rowHash(unhashed) !== hash) return bad(`row ${row.id} was changed after it was written: its content no longer matches its hash`);
      if (hash === options.expectHead) sawExpected = true;
      previous = row;
      rows += 1;
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  if (!sawExpected) {
    return {
      ok: false,
      rows,
      head: previous && headOf(previous),
      bad: {
        id: previous ? (BigInt(previous.id) + 1n).toString() : '1',
        reason: `the expected head ${options.expectHead!.slice(0, 12)}… is not in the chain: rows at its end were deleted or rewritten`,
      },
    };
  }
  return { ok: true, rows, head: previous && headOf(previous) };
}

function headOf(row: AccessRecordRow) {
  return { id: row.id, hash: row.hash, at: row.at };
}
