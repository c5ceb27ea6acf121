import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, ListSize, normalizeRegionCode, PagedBy, parseDate, Personal } from '@kopdes/kit';
import { loadRegions } from '@kopdes/kit/synthetic';
import type { Context } from '../loaders';
import type { Prisma } from '../generated/prisma/client';
import { Agency } from '../agency/agency.type';
import { INDICATORS } from '../indicator/indicator';
import { Indicator, IndicatorUnit } from '../indicator/indicator.type';
import { Province } from '../province/province.type';
import { TaskForceRegion } from '../task-force-region/task-force-region.type';
import { TASK_FORCE_REGIONS, taskForceRegionOf } from '../task-force-region/task-force-regions';
import { Commitment, type CommitmentFields, CommitmentProgress, CommitmentRevision, toCommitment } from './commitment.type';
import { revisionAuthors } from './commitment.personal';
import { decimalHundredths, formatHundredths } from './quantity';

const MAX_COMMITMENTS = 5000;
let provinceNames: Map<string, string> | undefined;

/** "25000000000" → "25,000,000,000"; "512.5" → "512.5". */
function grouped(decimal: string): string {
  const [whole, fraction] = decimal.split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''}`;
}

/** The fields both commitment views resolve the same way: one resolver class per GraphQL type. */
function commitmentFieldsResolver(type: new () => CommitmentFields) {
  @Resolver(() => type)
  class CommitmentFieldsResolver {
    @FieldResolver(() => Agency, { description: 'The agency that committed.' })
    async agency(@Root() c: CommitmentFields, @Ctx() { loaders }: Context): Promise<Agency> {
      const agency = await loaders.agency.load(c.agencyCode);
      if (!agency) throw new Error(`Commitment ${c.id} names unknown agency ${c.agencyCode}`);
      return agency;
    }

    @FieldResolver(() => IndicatorUnit, { description: 'Unit of target, baseline and realised.' })
    unit(@Root() c: CommitmentFields): IndicatorUnit {
      return INDICATORS[c.indicator].unit as IndicatorUnit;
    }

    @FieldResolver(() => Province, {
      description:
        'The province the commitment covers. Its realisation is on `province { taskForce { commitments { realised status } } }`, ' +
        "where the gateway supplies the owning ministry's figures.",
    })
    province(@Root() c: CommitmentFields): Pick<Province, 'code'> {
      return { code: c.provinceCode };
    }

    @FieldResolver(() => TaskForceRegion, { nullable: true, description: 'The Task Force region of the province.' })
    region(@Root() c: CommitmentFields): TaskForceRegion | null {
      return taskForceRegionOf(c.provinceCode);
    }

    @FieldResolver(() => String, { description: 'The commitment in words, e.g. "ESDM: 500 kWp commissioned in Jawa Timur by 2026-06-30".' })
    async label(@Root() c: CommitmentFields, @Ctx() { loaders }: Context): Promise<string> {
      provinceNames ??= new Map(loadRegions().provinces.map((p) => [p.code, p.name]));
      const agency = await loaders.agency.load(c.agencyCode);
      const what = INDICATORS[c.indicator].label.replace('{n}', grouped(c.target));
      return `${agency?.shortName ?? c.agencyCode}: ${what} in ${provinceNames.get(c.provinceCode) ?? c.provinceCode} by ${c.dueDate.toISOString().slice(0, 10)}`;
    }
  }
  return CommitmentFieldsResolver;
}

export const CommitmentFieldsResolver = commitmentFieldsResolver(Commitment);
export const CommitmentProgressFieldsResolver = commitmentFieldsResolver(CommitmentProgress);

@Resolver(() => Commitment)
export class CommitmentResolver {
  @PagedBy()
  @Query(() => [Commitment], {
    description:
      'Commitments as recorded by the Task Force secretariat, by due date, WITHOUT realisation: realisation is computed from the owning ' +
      "ministries' data on `province(code) { taskForce { commitments { realised status } } }` (or follow each commitment's `province`). At most 5,000.",
  })
  async commitments(
    @Arg('agency', () => ID, { nullable: true, description: 'Agency code, e.g. "ESDM".' }) agency: string | undefined,
    @Arg('province', () => String, { nullable: true, description: 'Province code, e.g. "35".' }) province: string | undefined,
    @Arg('taskForceRegion', () => ID, { nullable: true, description: '"I", "II", "III" or "IV".' }) region: string | undefined,
    @Arg('indicator', () => Indicator, { nullable: true }) indicator: Indicator | undefined,
    @Arg('dueAfter', () => String, { nullable: true, description: 'Due on or after this day, YYYY-MM-DD.' }) dueAfter: string | undefined,
    @Arg('dueBefore', () => String, { nullable: true, description: 'Due on or before this day, YYYY-MM-DD.' }) dueBefore: string | undefined,
    @Arg('first', () => Int, { defaultValue: 1000, description: 'At most 5,000.' }) first: number,
    @Ctx() { prisma }: Context,
  ): Promise<Commitment[]> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_COMMITMENTS) {
      throw badInput(`first must be between 0 and ${MAX_COMMITMENTS}; got ${first}. Narrow the selection by agency, province or due date.`, {
        argument: 'first',
      });
    }
    const where: Prisma.CommitmentWhereInput = {};
    if (agency) where.agencyCode = agency.trim().toUpperCase();
    if (indicator) where.indicator = indicator;
    const provinces: string[] = [];
    if (province) provinces.push(normalizeRegionCode(province, 'province', 'PROVINCE'));
    if (region) {
      const found = TASK_FORCE_REGIONS.find((r) => r.code === region.trim().toUpperCase());
      if (!found) throw badInput(`taskForceRegion "${region}" is not a Task Force region; use "I", "II", "III" or "IV".`, { argument: 'taskForceRegion' });
      where.provinceCode = { in: province ? found.provinceCodes.filter((p) => provinces.includes(p)) : found.provinceCodes };
    } else if (province) where.provinceCode = provinces[0];
    if (dueAfter || dueBefore) {
      where.dueDate = { ...(dueAfter ? { gte: parseDate(dueAfter, 'dueAfter') } : {}), ...(dueBefore ? { lte: parseDate(dueBefore, 'dueBefore') } : {}) };
    }
    const rows = await prisma.commitment.findMany({ where, orderBy: [{ dueDate: 'asc' }, { id: 'asc' }], take: first });
    return rows.map(toCommitment);
  }

  @Query(() => Commitment, { nullable: true, description: 'A commitment by id (without realisation; see Commitment); null when the id is unknown.' })
  async commitment(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Commitment | null> {
    const row = await loaders.commitment.load(id.trim());
    return row && toCommitment(row);
  }

  @ListSize(10)
  @FieldResolver(() => [CommitmentRevision], { description: 'Changes of the target, oldest first.' })
  async revisions(@Root() c: Commitment, @Ctx() { loaders }: Context): Promise<CommitmentRevision[]> {
    return (await loaders.revisionsOfCommitment.load(c.id)).map((r) => ({
      id: r.id,
      previousTarget: formatHundredths(decimalHundredths(r.previousTarget)),
      target: formatHundredths(decimalHundredths(r.target)),
      reason: r.reason,
      revisedAt: r.revisedAt,
    }));
  }
}

@Resolver(() => CommitmentRevision)
export class CommitmentRevisionAuthorResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Who changed it (the official's token subject). Personal data: Task Force secretariat officers (collaboration) and admins, with a registered purpose of use; every read is on the access record.",
  })
  @Personal()
  async revisedBy(@Root() revision: CommitmentRevision, @Ctx() context: Context, @Info() info: GraphQLResolveInfo): Promise<string | null> {
    return (await context.personal.read(revisionAuthors, String(revision.id), info))[0] ?? null;
  }
}
