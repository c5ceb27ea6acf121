import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '@kopdes/kit';
import type { EnergyDb } from '../db';
import type { Prisma } from '../generated/prisma/client';
import type { EnergyLoaders } from '../loaders';
import { ENERGY_SOURCE } from '../source';
import { Village, VillageElectrification } from './village.type';
import { checkSelectionSize, PagedBy, regionFilter } from '@kopdes/kit';

type Context = SubgraphContext<EnergyDb, EnergyLoaders>;

@Resolver(() => Village)
export class VillageElectrificationResolver {
  @FieldResolver(() => VillageElectrification, { nullable: true, description: 'ESDM: electricity in this village; null when ESDM has no record of it.' })
  async electrification(@Root() village: Village, @Ctx() { loaders }: Context): Promise<VillageElectrification | null> {
    const row = await loaders.electrification.load(village.code);
    if (!row) return null;
    return {
      asOf: row.updatedAt,
      source: ENERGY_SOURCE,
      electrified: row.electrified,
      ratio: row.electrificationRatio,
      reliableSupply: row.reliableSupply,
      supply: row.supply,
      supplyHoursPerDay: row.supplyHoursPerDay,
    };
  }

  /**
   * Cross-sector selection: villages in a region chosen by electricity, as references the
   * gateway completes with other ministries' fields (cooperatives, connectivity, status).
   */
  @PagedBy()
  @Query(() => [Village], { description: 'Villages in a region chosen by electricity, by code (at most 5,000). All given conditions must hold.' })
  async energyVillages(
    @Arg('regionCode', () => String, { description: 'Region code prefix: "94", "94.01", "94.01.01" or a village code (dots optional).' }) regionCode: string,
    @Arg('electrified', () => Boolean, { nullable: true }) electrified: boolean | undefined,
    @Arg('reliableSupply', () => Boolean, { nullable: true, description: 'Has (true) or lacks (false) 20+ hours of supply a day.' })
    reliableSupply: boolean | undefined,
    @Arg('first', () => Int, { defaultValue: 1000, description: 'At most 5,000.' }) first: number,
    @Ctx() { prisma }: Context,
  ): Promise<Village[]> {
    const { column, code } = regionFilter(regionCode);
    checkSelectionSize(first);
    const where: Prisma.VillageElectrificationWhereInput = { [column]: code };
    if (electrified != null) where.electrified = electrified;
    if (reliableSupply != null) where.reliableSupply = reliableSupply;
    const rows = await prisma.villageElectrification.findMany({ where, select: { villageCode: true }, orderBy: { villageCode: 'asc' }, take: first });
    return rows.map((row) => ({ code: row.villageCode }));
  }
}
