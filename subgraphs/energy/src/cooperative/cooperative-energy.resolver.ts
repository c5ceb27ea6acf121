import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, checkSelectionSize, PagedBy, regionFilter, type SubgraphContext } from '@kopdes/kit';
import type { EnergyDb } from '../db';
import type { EnergyLoaders } from '../loaders';
import { ENERGY_AS_OF, ENERGY_SOURCE } from '../source';
import { SolarPlant, SolarPlantStatus } from '../solar-plant/solar-plant.type';
import { Cooperative, CooperativeEnergy } from './cooperative.type';

type Context = SubgraphContext<EnergyDb, EnergyLoaders>;

@Resolver(() => Cooperative)
export class CooperativeEnergyResolver {
  @FieldResolver(() => CooperativeEnergy, { nullable: true, description: 'ESDM: solar plants at this cooperative.' })
  energy(@Root() cooperative: Cooperative): Partial<CooperativeEnergy> {
    return { cooperativeId: cooperative.id, source: ENERGY_SOURCE };
  }

  /**
   * Cross-sector selection: cooperatives in a region chosen by ESDM criteria, as references the
   * gateway completes with other ministries' fields (e.g. "no solar plant" AND "loan disbursed").
   * All given conditions must hold; one SQL statement.
   */
  @PagedBy()
  @Query(() => [Cooperative], { description: 'Cooperatives in a region chosen by ESDM criteria, by id (at most 5,000). All given conditions must hold.' })
  async energyCooperatives(
    @Arg('regionCode', () => String, { description: 'Region code prefix: "94", "94.01", "94.01.01" or a village code (dots optional).' }) regionCode: string,
    @Arg('hasPlant', () => Boolean, {
      nullable: true,
      description: 'true: has a plant (in plantStatuses, when given); false: has none (in plantStatuses, when given).',
    })
    hasPlant: boolean | undefined,
    @Arg('plantStatuses', () => [SolarPlantStatus], { nullable: true, description: 'Alone: has a plant in one of these statuses.' })
    plantStatuses: SolarPlantStatus[] | undefined,
    @Arg('villageReliableSupply', () => Boolean, {
      nullable: true,
      description: 'Its village has (true) or lacks (false) 20+ hours of electricity a day; villages without electricity lack it.',
    })
    villageReliableSupply: boolean | undefined,
    @Arg('first', () => Int, { defaultValue: 1000, description: 'At most 5,000.' }) first: number,
    @Ctx() { prisma }: Context,
  ): Promise<Cooperative[]> {
    const { column, code } = regionFilter(regionCode);
    checkSelectionSize(first);
    if (plantStatuses && plantStatuses.length === 0) {
      throw badInput('plantStatuses must name at least one status; omit it to mean any status.', { argument: 'plantStatuses' });
    }
    const params: unknown[] = [code];
    const where = [`s."${column}" = $1`];
    if (hasPlant != null || plantStatuses) {
      let plant = 'SELECT 1 FROM "SolarPlant" p WHERE p."cooperativeId" = s."cooperativeId"';
      if (plantStatuses) {
        params.push(plantStatuses);
        plant += ` AND p.status::text = ANY($${params.length}::text[])`;
      }
      where.push(hasPlant === false ? `NOT EXISTS (${plant})` : `EXISTS (${plant})`);
    }
    if (villageReliableSupply != null) {
      params.push(villageReliableSupply);
      where.push(`EXISTS (SELECT 1 FROM "VillageElectrification" v WHERE v."villageCode" = s."villageCode" AND v."reliableSupply" = $${params.length})`);
    }
    params.push(first);
    const rows = await prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT s."cooperativeId" AS id FROM "CooperativeSite" s WHERE ${where.join(' AND ')} ORDER BY s."cooperativeId" LIMIT $${params.length}`,
      ...params,
    );
    return rows;
  }
}

@Resolver(() => CooperativeEnergy)
export class CooperativeEnergyFieldsResolver {
  @FieldResolver(() => Date, { description: 'When this data was last updated.' })
  async asOf(@Root() energy: CooperativeEnergy, @Ctx() { loaders }: Context): Promise<Date> {
    const [site, plants] = await Promise.all([loaders.site.load(energy.cooperativeId), loaders.plantsOfCooperative.load(energy.cooperativeId)]);
    const dates = [site?.updatedAt ?? ENERGY_AS_OF, ...plants.map((p) => p.updatedAt)];
    return new Date(Math.max(...dates.map((d) => d.getTime())));
  }

  @FieldResolver(() => [SolarPlant], { description: 'Solar plants at this cooperative, planned or built (most have none yet).' })
  solarPlants(@Root() energy: CooperativeEnergy, @Ctx() { loaders }: Context) {
    return loaders.plantsOfCooperative.load(energy.cooperativeId);
  }
}
