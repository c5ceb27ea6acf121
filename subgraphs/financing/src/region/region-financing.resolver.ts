import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { regionAggregateField, type SubgraphContext } from '@kopdes/kit';
import type { FinancingDb } from '../db';
import type { FinancingLoaders } from '../loaders';
import { FINANCING_SOURCE } from '../source';
import { FinancingAggregate, Province, Regency, Village } from './region-financing.type';

type Context = SubgraphContext<FinancingDb, FinancingLoaders>;

@Resolver(() => Province)
export class ProvinceFinancingResolver {
  @FieldResolver(() => FinancingAggregate, regionAggregateField('financing', 'Financing figures (Kemenkeu / Himbara / LPDB) for this province.'))
  async financing(@Root() province: Province, @Ctx() { loaders }: Context): Promise<FinancingAggregate> {
    return { ...(await loaders.provinceAggregate.load(province.code)), source: FINANCING_SOURCE };
  }
}

@Resolver(() => Regency)
export class RegencyFinancingResolver {
  @FieldResolver(() => FinancingAggregate, regionAggregateField('financing', 'Financing figures (Kemenkeu / Himbara / LPDB) for this regency.'))
  async financing(@Root() regency: Regency, @Ctx() { loaders }: Context): Promise<FinancingAggregate> {
    return { ...(await loaders.regencyAggregate.load(regency.code)), source: FINANCING_SOURCE };
  }
}

@Resolver(() => Village)
export class VillageFinancingResolver {
  @FieldResolver(() => FinancingAggregate, regionAggregateField('financing', 'Financing figures (Kemenkeu / Himbara / LPDB) for this village.'))
  async financing(@Root() village: Village, @Ctx() { loaders }: Context): Promise<FinancingAggregate> {
    return { ...(await loaders.villageAggregate.load(village.code)), source: FINANCING_SOURCE };
  }
}
