import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { discloseRow, regionAggregateField, type SubgraphContext } from '@kopdes/kit';
import type { FinancingDb } from '../db';
import type { FinancingLoaders } from '../loaders';
import { FINANCING_SOURCE } from '../source';
import { emptyFinancingRow } from './region-financing.loaders';
import { FinancingAggregate, Province, Regency, Village } from './region-financing.type';

type Context = SubgraphContext<FinancingDb, FinancingLoaders>;

/** The region's figures as the caller may read them (disclosure control for the public). */
async function financingOf(code: string, { loaders, caller }: Context): Promise<FinancingAggregate> {
  return { ...discloseRow(await loaders.regionFinancing.load({ code }), caller, emptyFinancingRow(code)), source: FINANCING_SOURCE };
}

@Resolver(() => Province)
export class ProvinceFinancingResolver {
  @FieldResolver(() => FinancingAggregate, regionAggregateField('financing', 'Financing figures (Kemenkeu / Himbara / LPDB) for this province.'))
  financing(@Root() province: Province, @Ctx() context: Context): Promise<FinancingAggregate> {
    return financingOf(province.code, context);
  }
}

@Resolver(() => Regency)
export class RegencyFinancingResolver {
  @FieldResolver(() => FinancingAggregate, regionAggregateField('financing', 'Financing figures (Kemenkeu / Himbara / LPDB) for this regency.'))
  financing(@Root() regency: Regency, @Ctx() context: Context): Promise<FinancingAggregate> {
    return financingOf(regency.code, context);
  }
}

@Resolver(() => Village)
export class VillageFinancingResolver {
  @FieldResolver(() => FinancingAggregate, regionAggregateField('financing', 'Financing figures (Kemenkeu / Himbara / LPDB) for this village.'))
  financing(@Root() village: Village, @Ctx() context: Context): Promise<FinancingAggregate> {
    return financingOf(village.code, context);
  }
}
