import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, checkSelectionSize, normalizeRegionCode, PagedBy, regionColumn, type SubgraphContext } from '@kopdes/kit';
import type { VillagesDb } from '../db';
import type { VillagesLoaders } from '../loaders';
import { DANA_DESA_SOURCE, INDEKS_DESA_SOURCE } from '../source';
import { dataYear } from './village-development.rules';
import { DanaDesa, DevelopmentStatus, Village, VillageDevelopment } from './village-development.type';

type Context = SubgraphContext<VillagesDb, VillagesLoaders>;

@Resolver(() => Village)
export class VillageDevelopmentResolver {
  /**
   * Cross-sector questions by region category start here: select villages by Indeks Desa status
   * in one statement, return entity references, and let the gateway fetch other ministries'
   * fields for just those (e.g. `Village.cooperatives` from the cooperatives subgraph).
   */
  @PagedBy()
  @Query(() => [Village], { description: 'Villages in a region with any of the given Indeks Desa statuses, by code. At most 5,000.' })
  async villagesByDevelopment(
    @Arg('regionCode', () => String, { description: 'Region code prefix: "91", "91.01", "91.01.01" or a village code (dots optional).' }) regionCode: string,
    @Arg('statuses', () => [DevelopmentStatus], { description: 'Any of these statuses.' }) statuses: DevelopmentStatus[],
    @Arg('year', () => Int, { nullable: true, description: 'Indeks Desa year; the latest when omitted.' }) year: number | null | undefined,
    @Arg('first', () => Int, { defaultValue: 1000, description: 'At most 5,000.' }) first: number,
    @Ctx() { prisma }: Context,
  ): Promise<Village[]> {
    const code = normalizeRegionCode(regionCode, 'regionCode');
    if (statuses.length === 0)
      throw badInput('statuses must name at least one DevelopmentStatus, e.g. [TERTINGGAL, SANGAT_TERTINGGAL].', { argument: 'statuses' });
    checkSelectionSize(first);
    const rows = await prisma.villageYear.findMany({
      where: { [regionColumn(code)]: code, year: dataYear(year), status: { in: statuses } },
      select: { villageCode: true },
      orderBy: { villageCode: 'asc' },
      take: first,
    });
    return rows.map((r) => ({ code: r.villageCode }));
  }

  @FieldResolver(() => VillageDevelopment, {
    nullable: true,
    description: 'Indeks Desa status (Kemendes PDT) in the latest year; null when unclassified (kelurahan never are).',
  })
  async developmentStatus(@Root() village: Village, @Ctx() { loaders }: Context): Promise<VillageDevelopment | null> {
    const years = await loaders.yearsOfVillage.load(village.code);
    const latest = years.at(-1);
    if (!latest?.status || latest.score === null) return null;
    return {
      asOf: latest.updatedAt,
      source: INDEKS_DESA_SOURCE,
      year: latest.year,
      status: latest.status,
      score: latest.score,
      history: years.flatMap((y) => (y.status && y.score !== null ? [{ year: y.year, status: y.status, score: y.score }] : [])),
    };
  }

  @FieldResolver(() => DanaDesa, { nullable: true, description: 'Dana Desa ceiling in the latest year; null for a kelurahan (funded through DAU/DBH).' })
  async danaDesa(@Root() village: Village, @Ctx() { loaders }: Context): Promise<DanaDesa | null> {
    const latest = (await loaders.yearsOfVillage.load(village.code)).at(-1);
    if (!latest || latest.danaDesaCeiling === null) return null;
    return { asOf: latest.updatedAt, source: DANA_DESA_SOURCE, year: latest.year, ceiling: latest.danaDesaCeiling };
  }
}
