import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { discloseRow, regionAggregateField, type SubgraphContext } from '@kopdes/kit';
import type { EnergyDb } from '../db';
import type { EnergyLoaders } from '../loaders';
import { ENERGY_AS_OF, ENERGY_SOURCE } from '../source';
import { emptyEnergyRow } from './region.loaders';
import { EnergyAggregate, Province, Regency } from './region.type';

type Context = SubgraphContext<EnergyDb, EnergyLoaders>;

/** The region's figures as the caller may read them (disclosure control for the public). */
async function energyOf(code: string, { loaders, caller }: Context): Promise<EnergyAggregate> {
  const figures = discloseRow(await loaders.regionEnergy.load({ code }), caller, emptyEnergyRow(code));
  return { ...figures, asOf: figures.asOf ?? ENERGY_AS_OF, source: ENERGY_SOURCE };
}

@Resolver(() => Province)
export class ProvinceEnergyResolver {
  @FieldResolver(
    () => EnergyAggregate,
    regionAggregateField('energy', 'ESDM figures for this province: solar capacity by status, villages without electricity.'),
  )
  energy(@Root() province: Province, @Ctx() context: Context) {
    return energyOf(province.code, context);
  }
}

@Resolver(() => Regency)
export class RegencyEnergyResolver {
  @FieldResolver(
    () => EnergyAggregate,
    regionAggregateField('energy', 'ESDM figures for this regency: solar capacity by status, villages without electricity.'),
  )
  energy(@Root() regency: Regency, @Ctx() context: Context) {
    return energyOf(regency.code, context);
  }
}
