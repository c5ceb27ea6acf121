import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { regionAggregateField, type SubgraphContext } from '@kopdes/kit';
import type { EnergyDb } from '../db';
import type { EnergyLoaders } from '../loaders';
import { ENERGY_AS_OF, ENERGY_SOURCE } from '../selection';
import type { EnergyAggregateRow } from './region.loaders';
import { EnergyAggregate, Province, Regency } from './region.type';

type Context = SubgraphContext<EnergyDb, EnergyLoaders>;

function toAggregate({ code: _code, asOf, ...figures }: EnergyAggregateRow): EnergyAggregate {
  return { ...figures, asOf: asOf ?? ENERGY_AS_OF, source: ENERGY_SOURCE };
}

@Resolver(() => Province)
export class ProvinceEnergyResolver {
  @FieldResolver(() => EnergyAggregate, regionAggregateField('energy', 'ESDM figures for this province: solar capacity by status, villages without electricity.'))
  async energy(@Root() province: Province, @Ctx() { loaders }: Context) {
    return toAggregate(await loaders.provinceAggregate.load(province.code));
  }
}

@Resolver(() => Regency)
export class RegencyEnergyResolver {
  @FieldResolver(() => EnergyAggregate, regionAggregateField('energy', 'ESDM figures for this regency: solar capacity by status, villages without electricity.'))
  async energy(@Root() regency: Regency, @Ctx() { loaders }: Context) {
    return toAggregate(await loaders.regencyAggregate.load(regency.code));
  }
}
