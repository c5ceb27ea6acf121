import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, Field, ID, InputType, Info, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { ACCESS_RECORD, fromStored, ROW_COLUMNS, type AccessRecordRow, type StoredRow } from './access-record';
import { checkPageSize, ConnectionType, decodeCursor, selectsField, toConnection } from './connection';
import { ListSize, PagedBy } from './costs';
import { badInput } from './errors';
import type { SubgraphContext } from './subgraph';
import type { RawSql } from './writes';

// Shareable: every subgraph holding personal data serves its own record with these same types.
@ObjectType({
  description: "One read of one person's personal data: who read which fields of whose data, when, in which request and why. Append-only and hash-chained.",
})
@Directive('@shareable')
export class AccessRecordEntry {
  @Field(() => ID, { description: 'Row number in the chain (1, 2, 3...).' }) id!: string;
  @Field(() => Date) at!: Date;
  @Field(() => String, { nullable: true, description: 'The gateway request id (x-request-id), the same in its logs.' }) requestId!: string | null;
  @Field(() => String, { description: "The reader: the bearer token's subject." }) readerSubject!: string;
  @Field(() => String) readerRole!: string;
  @Field(() => String, { nullable: true, description: "The reader's ministry (officers)." }) readerMinistry!: string | null;
  @Field(() => String, { description: 'The registered purpose of use the token declared.' }) purpose!: string;
  @Field(() => String, { nullable: true, description: "The purpose's title, from the registry (null if it was removed since)." }) purposeTitle!: string | null;
  @Field(() => String, { nullable: true, description: "The purpose's lawful basis, from the registry." }) legalBasis!: string | null;
  @Field(() => String, { description: "Whose data: the person's reference (a board member's NIK)." }) dataSubject!: string;
  @Field(() => String, { description: 'The type of record the data was read from, e.g. Cooperative.' }) entity!: string;
  @ListSize(10) @Field(() => [String], { description: 'The records (e.g. cooperative ids) the data was read from.' }) entityIds!: string[];
  @ListSize(10) @Field(() => [String], { description: 'The personal fields the request read, as Type.field.' }) fields!: string[];
  @Field(() => String, { description: "sha256 of this row's canonical form (chain link)." }) hash!: string;
  @Field(() => String, { description: 'hash of the row before it.' }) prevHash!: string;
}

export const AccessRecordConnection = ConnectionType(AccessRecordEntry, 'AccessRecord');

@InputType({ description: 'All given conditions must hold.' })
export class AccessRecordFilter {
  @Field(() => String, { nullable: true, description: "Whose data: a person's reference (NIK)." }) dataSubject?: string;
  @Field(() => String, { nullable: true, description: 'Who read: a token subject.' }) reader?: string;
  @Field(() => Date, { nullable: true, description: 'Reads at or after this time.' }) from?: Date;
  @Field(() => Date, { nullable: true, description: 'Reads before this time.' }) to?: Date;
  @Field(() => String, { nullable: true }) purpose?: string;
  @Field(() => String, { nullable: true }) requestId?: string;
  @Field(() => String, { nullable: true, description: 'Reads of this record, e.g. a cooperative id.' }) entityId?: string;
}

@ObjectType({
  description: "Everything this subgraph's access record holds about one person (UU 27/2022 PDP: a data subject may ask what was done with their data).",
})
@Directive('@shareable')
export class DataSubjectAccessReport {
  @Field(() => String) dataSubject!: string;
  @Field(() => String, { description: 'The subgraph (and ministry) that keeps this record.' }) keptBy!: string;
  @Field(() => Int, { description: 'Days each read is kept (ACCESS_RECORD_RETENTION_DAYS); older reads have been pruned.' }) retentionDays!: number;
  @Field(() => Int, { description: "Reads of this person's data on record." }) totalReads!: number;
  @ListSize(10) @Field(() => [String], { description: 'Everyone who read it (token subjects), first reader first.' }) readers!: string[];
  @ListSize(10)
  @Field(() => [AccessRecordEntry], { description: `Every read, newest first (at most ${10_000}; page the access record by dataSubject beyond).` })
  reads!: AccessRecordEntry[];
}

const REPORT_LIMIT = 10_000;

function whereOf(filter: AccessRecordFilter | undefined): { sql: string; values: unknown[] } {
  const f = filter ?? {};
  for (const key of ['dataSubject', 'reader', 'purpose', 'requestId', 'entityId'] as const) {
    const value = f[key];
    if (value !== undefined && value !== null && (value.trim() === '' || value.length > 200))
      throw badInput(`filter.${key} must be 1-200 characters.`, { argument: `filter.${key}` });
  }
  if (f.from && f.to && f.from > f.to)
    throw badInput(`filter.from (${f.from.toISOString()}) is after filter.to (${f.to.toISOString()}).`, { argument: 'filter.from' });
  const values = [
    f.dataSubject ?? null,
    f.reader ?? null,
    f.from?.toISOString() ?? null,
    f.to?.toISOString() ?? null,
    f.purpose ?? null,
    f.requestId ?? null,
    f.entityId ?? null,
  ];
  return {
    sql: `kind = 'read' AND ($1::text IS NULL OR data_subject = $1) AND ($2::text IS NULL OR reader_subject = $2) AND ($3::timestamptz IS NULL OR at >= $3::timestamptz)
      AND ($4::timestamptz IS NULL OR at < $4::timestamptz) AND ($5::text IS NULL OR purpose = $5) AND ($6::text IS NULL OR request_id = $6) AND ($7::text IS NULL OR $7 = ANY(entity_ids))`,
    values,
  };
}

function toEntry(row: AccessRecordRow, context: SubgraphContext): AccessRecordEntry {
  const purpose = row.purpose ? context.personal.purposes.purposes.get(row.purpose) : undefined;
  return {
    id: row.id,
    at: row.at,
    requestId: row.requestId,
    readerSubject: row.readerSubject ?? '',
    readerRole: row.readerRole ?? '',
    readerMinistry: row.readerMinistry,
    purpose: row.purpose ?? '',
    purposeTitle: purpose?.title ?? null,
    legalBasis: purpose?.legalBasis ?? null,
    dataSubject: row.dataSubject ?? '',
    entity: row.entity ?? '',
    entityIds: row.entityIds ?? [],
    fields: row.fields ?? [],
    hash: row.hash,
    prevHash: row.prevHash,
  };
}

const cache = new Map<string, { resolver: Function; fields: string[] }>(); // eslint-disable-line @typescript-eslint/no-unsafe-function-type

/**
 * The access record's queries for one subgraph, named after it (`cooperativesAccessRecord`,
 * `cooperativesDataSubjectAccess`) so that every subgraph holding personal data can offer its own
 * through one gateway. Returns the resolver class and the root fields (for the owner-only rule).
 */
export function accessRecordResolver(subgraph: string, owner: string, retentionDays: number) {
  const prefix = subgraph.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const key = `${subgraph}:${retentionDays}`;
  const known = cache.get(key);
  if (known) return known;

  @Resolver()
  class AccessRecordResolver {
    @PagedBy('first', ['edges'])
    @Query(() => AccessRecordConnection, {
      name: `${prefix}AccessRecord`,
      description: `The ${subgraph} subgraph's personal-data access record, newest first, by person, reader, time range, purpose or request. ${subgraph} officers and admins only.`,
    })
    async record(
      @Arg('filter', () => AccessRecordFilter, { nullable: true }) filter: AccessRecordFilter | undefined,
      @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, at most 500.' }) first: number,
      @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | undefined,
      @Ctx() context: SubgraphContext,
      @Info() info: GraphQLResolveInfo,
    ) {
      checkPageSize(first);
      const where = whereOf(filter ?? undefined);
      const before = after ? decodeCursor(after) : undefined;
      if (before !== undefined && !/^\d+$/.test(before)) throw badInput('after is not a cursor of this access record.', { argument: 'after' });
      const db = context.prisma as RawSql;
      const rows = (
        await db.$queryRawUnsafe<StoredRow[]>(
          `SELECT ${ROW_COLUMNS} FROM "${ACCESS_RECORD}" WHERE ${where.sql} AND ($8::bigint IS NULL OR id < $8::bigint) ORDER BY "${ACCESS_RECORD}".id DESC LIMIT $9::int`,
          ...where.values,
          before ?? null,
          first + 1,
        )
      ).map(fromStored);
      const totalCount = selectsField(info, 'totalCount')
        ? Number((await db.$queryRawUnsafe<{ n: string }[]>(`SELECT count(*)::text AS n FROM "${ACCESS_RECORD}" WHERE ${where.sql}`, ...where.values))[0]!.n)
        : 0;
      return toConnection(
        rows.map((row) => toEntry(row, context)),
        first,
        totalCount,
        (entry) => entry.id,
        before !== undefined,
      );
    }

    @Query(() => DataSubjectAccessReport, {
      name: `${prefix}DataSubjectAccess`,
      description: `Everything the ${subgraph} access record holds about one person: who read their data, when, which fields and why. For a data subject's request (export it with the gateway's /export). ${subgraph} officers and admins only.`,
    })
    async report(
      @Arg('dataSubject', () => String, { description: "The person's reference (NIK)." }) dataSubject: string,
      @Ctx() context: SubgraphContext,
    ): Promise<DataSubjectAccessReport> {
      const subject = dataSubject.trim();
      if (!subject || subject.length > 200)
        throw badInput("dataSubject must be the person's reference (their NIK), 1-200 characters.", { argument: 'dataSubject' });
      const db = context.prisma as RawSql;
      const rows = (
        await db.$queryRawUnsafe<StoredRow[]>(
          `SELECT ${ROW_COLUMNS} FROM "${ACCESS_RECORD}" WHERE kind = 'read' AND data_subject = $1 ORDER BY "${ACCESS_RECORD}".id DESC LIMIT ${REPORT_LIMIT}`,
          subject,
        )
      ).map(fromStored);
      const [count] = await db.$queryRawUnsafe<{ n: string }[]>(
        `SELECT count(*)::text AS n FROM "${ACCESS_RECORD}" WHERE kind = 'read' AND data_subject = $1`,
        subject,
      );
      const readers = [...new Set(rows.map((r) => r.readerSubject ?? '').reverse())];
      return {
        dataSubject: subject,
        keptBy: `${subgraph} (${owner})`,
        retentionDays,
        totalReads: Number(count!.n),
        readers,
        reads: rows.map((row) => toEntry(row, context)),
      };
    }
  }
  const made = { resolver: AccessRecordResolver, fields: [`Query.${prefix}AccessRecord`, `Query.${prefix}DataSubjectAccess`] };
  cache.set(key, made);
  return made;
}
