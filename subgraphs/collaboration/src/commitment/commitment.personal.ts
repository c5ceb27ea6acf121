import type { PersonalSource, RawSql } from '@kopdes/kit';

/**
 * Who revised a commitment's target is an official's identity (their token subject): personal
 * data. It is read only here, by revision id, inside the transaction that records the read (the
 * Prisma client omits the column everywhere else, see db.ts); the official is the data subject.
 */
export const revisionAuthors: PersonalSource<string> = {
  field: 'CommitmentRevision.revisedBy',
  personType: 'CommitmentRevision',
  entity: 'CommitmentRevision',
  async load(tx: RawSql, ids: readonly string[]) {
    const rows = await tx.$queryRawUnsafe<{ id: string; revisedBy: string }[]>(
      'SELECT id::text AS id, "revisedBy" FROM "CommitmentRevision" WHERE id = ANY($1::int[])',
      ids.map(Number),
    );
    return new Map(rows.map((row) => [row.id, [row.revisedBy]]));
  },
  dataSubject: (subject) => subject,
};
