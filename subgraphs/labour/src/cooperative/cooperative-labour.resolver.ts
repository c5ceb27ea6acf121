import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, checkSelectionSize, normalizeRegionCode, PagedBy, regionColumn, type SubgraphContext } from '@kopdes/kit';
import type { LabourDb } from '../db';
import type { Prisma } from '../generated/prisma/client';
import type { LabourLoaders } from '../loaders';
import { LABOUR_SOURCE } from '../source';
import { TARGET_EMPLOYEES } from './cooperative-labour.rules';
import type { WorkforceRow } from './cooperative-labour.loaders';
import { Cooperative, CooperativeLabour, LabourHire, LabourTraining } from './cooperative-labour.type';

type Context = SubgraphContext<LabourDb, LabourLoaders>;
type LabourFigures = Omit<CooperativeLabour, 'trainings' | 'hireRecords'>;

function toLabour(cooperativeId: string, row: WorkforceRow | null): LabourFigures {
  if (!row) {
    return {
      cooperativeId,
      asOf: new Date(0),
      source: `${LABOUR_SOURCE}: no workforce report on file`,
      employees: 0,
      hires: 0,
      trainedBoardMembers: 0,
      certifiedStaff: 0,
      meetsTarget: false,
    };
  }
  return { ...row, asOf: row.updatedAt, source: LABOUR_SOURCE, meetsTarget: row.employees >= TARGET_EMPLOYEES };
}

function employeeBound(value: number | null | undefined, argument: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value < 0) throw badInput(`${argument} must be 0 or more; got ${value}.`, { argument });
  return value;
}

@Resolver(() => Cooperative)
export class CooperativeLabourResolver {
  /**
   * Cross-sector questions start here: select cooperatives by Kemnaker's criteria in one
   * statement, return entity references, and let the gateway fetch other ministries' fields
   * for just those (e.g. "trained board, no employees" → loans, business units).
   */
  @PagedBy()
  @Query(() => [Cooperative], { description: 'Cooperatives in a region selected by workforce (employees, trained board), by id. At most 5,000.' })
  async labourCooperatives(
    @Arg('regionCode', () => String, { description: 'Region code prefix: "35", "35.14", "35.14.14" or a village code (dots optional).' }) regionCode: string,
    @Arg('minEmployees', () => Int, { nullable: true }) minEmployees: number | null | undefined,
    @Arg('maxEmployees', () => Int, { nullable: true }) maxEmployees: number | null | undefined,
    @Arg('hasTrainedBoard', () => Boolean, { nullable: true, description: 'true: at least one board member trained; false: none.' })
    hasTrainedBoard: boolean | null | undefined,
    @Arg('first', () => Int, { defaultValue: 1000, description: 'At most 5,000.' }) first: number,
    @Ctx() { prisma }: Context,
  ): Promise<Cooperative[]> {
    const code = normalizeRegionCode(regionCode, 'regionCode');
    checkSelectionSize(first);
    const min = employeeBound(minEmployees, 'minEmployees');
    const max = employeeBound(maxEmployees, 'maxEmployees');
    if (min !== undefined && max !== undefined && min > max) {
      throw badInput(`minEmployees (${min}) is above maxEmployees (${max}).`, { argument: 'minEmployees' });
    }
    const where: Prisma.WorkforceWhereInput = { [regionColumn(code)]: code };
    if (min !== undefined || max !== undefined) where.employees = { gte: min, lte: max };
    if (hasTrainedBoard === true) where.trainedBoardMembers = { gt: 0 };
    if (hasTrainedBoard === false) where.trainedBoardMembers = 0;
    const rows = await prisma.workforce.findMany({ where, select: { cooperativeId: true }, orderBy: { cooperativeId: 'asc' }, take: first });
    return rows.map((r) => ({ id: r.cooperativeId }));
  }

  @FieldResolver(() => CooperativeLabour, { nullable: true, description: 'Workforce, hiring and training (Kemnaker); zero figures when no report is on file.' })
  async labour(@Root() cooperative: Cooperative, @Ctx() { loaders }: Context): Promise<LabourFigures> {
    return toLabour(cooperative.id, await loaders.workforce.load(cooperative.id));
  }
}

@Resolver(() => CooperativeLabour)
export class CooperativeLabourFieldsResolver {
  @FieldResolver(() => [LabourTraining])
  trainings(@Root() labour: CooperativeLabour, @Ctx() { loaders }: Context) {
    return loaders.trainingsOfCooperative.load(labour.cooperativeId);
  }

  @FieldResolver(() => [LabourHire])
  hireRecords(@Root() labour: CooperativeLabour, @Ctx() { loaders }: Context) {
    return loaders.hiresOfCooperative.load(labour.cooperativeId);
  }
}
