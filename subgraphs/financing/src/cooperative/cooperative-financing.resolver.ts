import { Arg, Ctx, FieldResolver, Float, Int, Query, Resolver, Root } from 'type-graphql';
import { checkSelectionSize, normalizeRegionCode, PagedBy, regionColumn, Rupiah, type SubgraphContext } from '@kopdes/kit';
import type { FinancingDb } from '../db';
import type { FinancingLoaders } from '../loaders';
import { FINANCING_SOURCE } from '../source';
import { DanaDesaIntercept, Loan, LoanStatus } from '../loan/loan.type';
import { Cooperative, CooperativeFinancing, FinancingPreconditions } from './cooperative-financing.type';

type Context = SubgraphContext<FinancingDb, FinancingLoaders>;

const DISBURSED: LoanStatus[] = [LoanStatus.DISBURSED, LoanStatus.REPAYING, LoanStatus.ARREARS, LoanStatus.SETTLED];

@Resolver(() => Cooperative)
export class CooperativeFinancingResolver {
  /**
   * Cross-sector questions start here: select cooperatives by financing criteria in one
   * statement, return entity references, and let the gateway fetch other ministries' fields
   * for just those (e.g. "in arrears with Dana Desa intercepted" → village connectivity).
   */
  @PagedBy()
  @Query(() => [Cooperative], {
    description:
      'Cooperatives in a region with a loan in one of `statuses` (default: money disbursed — DISBURSED, REPAYING, ARREARS, SETTLED), by id. ' +
      'inArrears / intercepted: true keeps those with a loan in arrears / with Dana Desa intercepted, false those without. At most 5,000.',
  })
  async financedCooperatives(
    @Arg('regionCode', () => String, { description: 'Region code prefix: "35", "35.14", "35.14.14" or a village code (dots optional).' }) regionCode: string,
    @Arg('statuses', () => [LoanStatus], { nullable: true }) statuses: LoanStatus[] | undefined,
    @Arg('inArrears', () => Boolean, { nullable: true }) inArrears: boolean | undefined,
    @Arg('intercepted', () => Boolean, { nullable: true }) intercepted: boolean | undefined,
    @Arg('first', () => Int, { defaultValue: 1000, description: 'At most 5,000.' }) first: number,
    @Ctx() { prisma }: Context,
  ): Promise<Cooperative[]> {
    const code = normalizeRegionCode(regionCode, 'regionCode');
    checkSelectionSize(first);
    const params: unknown[] = [code, statuses ?? DISBURSED];
    const having = ['bool_or(status::text = ANY($2))'];
    if (inArrears != null) having.push(`bool_or(status = 'ARREARS') = $${params.push(inArrears)}`);
    if (intercepted != null) having.push(`bool_or("interceptedAmount" > 0) = $${params.push(intercepted)}`);
    return prisma.$queryRawUnsafe<Cooperative[]>(
      `SELECT "cooperativeId" AS id FROM "Loan" WHERE "${regionColumn(code)}" = $1
        GROUP BY "cooperativeId" HAVING ${having.join(' AND ')} ORDER BY "cooperativeId" LIMIT $${params.push(first)}`,
      ...params,
    );
  }

  @FieldResolver(() => CooperativeFinancing, { nullable: true, description: 'Loans and Dana Desa intercepts (Kemenkeu / Himbara banks / LPDB).' })
  financing(@Root() cooperative: Cooperative): Pick<CooperativeFinancing, 'cooperativeId' | 'source'> {
    return { cooperativeId: cooperative.id, source: FINANCING_SOURCE };
  }
}

@Resolver(() => CooperativeFinancing)
export class CooperativeFinancingFieldsResolver {
  @FieldResolver(() => Date)
  async asOf(@Root() f: CooperativeFinancing, @Ctx() { loaders }: Context): Promise<Date> {
    const [profile, loans] = await Promise.all([loaders.profile.load(f.cooperativeId), loaders.loansOfCooperative.load(f.cooperativeId)]);
    const dates = [profile?.updatedAt, ...loans.map((l) => l.updatedAt)].filter((d): d is Date => d instanceof Date);
    return new Date(Math.max(0, ...dates.map((d) => d.getTime())));
  }

  @FieldResolver(() => [Loan])
  loans(@Root() f: CooperativeFinancing, @Ctx() { loaders }: Context) {
    return loaders.loansOfCooperative.load(f.cooperativeId);
  }

  @FieldResolver(() => Rupiah)
  async outstanding(@Root() f: CooperativeFinancing, @Ctx() { loaders }: Context): Promise<bigint> {
    return (await loaders.loansOfCooperative.load(f.cooperativeId)).reduce((sum, l) => sum + l.outstanding, 0n);
  }

  @FieldResolver(() => Boolean)
  async inArrears(@Root() f: CooperativeFinancing, @Ctx() { loaders }: Context): Promise<boolean> {
    return (await loaders.loansOfCooperative.load(f.cooperativeId)).some((l) => l.status === LoanStatus.ARREARS);
  }

  @FieldResolver(() => FinancingPreconditions)
  async preconditions(@Root() f: CooperativeFinancing, @Ctx() { loaders }: Context): Promise<FinancingPreconditions> {
    const profile = await loaders.profile.load(f.cooperativeId);
    return { businessProposal: profile?.businessProposal ?? false, villageHeadApproval: profile?.villageHeadApproval ?? false };
  }

  @FieldResolver(() => Rupiah)
  async danaDesaIntercepted(@Root() f: CooperativeFinancing, @Ctx() { loaders }: Context): Promise<bigint> {
    return (await loaders.loansOfCooperative.load(f.cooperativeId)).reduce((sum, l) => sum + l.interceptedAmount, 0n);
  }

  @FieldResolver(() => [DanaDesaIntercept])
  intercepts(@Root() f: CooperativeFinancing, @Ctx() { loaders }: Context) {
    return loaders.interceptsOfCooperative.load(f.cooperativeId);
  }

  @FieldResolver(() => Rupiah, { nullable: true })
  async interceptCap(@Root() f: CooperativeFinancing, @Ctx() { loaders }: Context): Promise<bigint | null> {
    return (await loaders.capUse.load(f.cooperativeId))?.cap ?? null;
  }

  @FieldResolver(() => Float)
  async interceptCapUsedShare(@Root() f: CooperativeFinancing, @Ctx() { loaders }: Context): Promise<number> {
    const use = await loaders.capUse.load(f.cooperativeId);
    return use && use.cap > 0n ? Number(use.used) / Number(use.cap) : 0;
  }
}
