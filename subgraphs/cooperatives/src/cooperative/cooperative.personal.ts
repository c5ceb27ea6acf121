import type { PersonalSource, RawSql } from '@kopdes/kit';
import type { BoardMember } from './cooperative.type';

/**
 * Board members are the registry's personal data. They are read only here, by cooperative id,
 * inside the transaction that writes their access record (the Prisma client omits the column
 * everywhere else, see db.ts); each member is the data subject named by their NIK.
 */
export const boardMembers: PersonalSource<BoardMember> = {
  field: 'Cooperative.board',
  personType: 'BoardMember',
  entity: 'Cooperative',
  async load(tx: RawSql, ids: readonly string[]) {
    const rows = await tx.$queryRawUnsafe<{ id: string; board: BoardMember[] }[]>('SELECT id, board FROM "Cooperative" WHERE id = ANY($1)', [...ids]);
    return new Map(rows.map((row) => [row.id, row.board]));
  },
  dataSubject: (member) => member.nik,
};
