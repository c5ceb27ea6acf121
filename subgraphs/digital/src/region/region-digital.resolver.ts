import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { regionAggregateField, type SubgraphContext } from '@kopdes/kit';
import type { DigitalDb } from '../db';
import type { DigitalLoaders } from '../loaders';
import { DIGITAL_AS_OF, DIGITAL_SOURCE } from '../selection';
import type { DigitalAggregateRow } from './region.loaders';
import { DigitalAggregate, Province, Regency } from './region.type';

type Context = SubgraphContext<DigitalDb, DigitalLoaders>;

function toAggregate({ code: _code, asOf, ...figures }: DigitalAggregateRow): DigitalAggregate {
  return { ...figures, asOf: asOf ?? DIGITAL_AS_OF, source: DIGITAL_SOURCE };
}

@Resolver(() => Province)
export class ProvinceDigitalResolver {
  @FieldResolver(() => DigitalAggregate, regionAggregateField('digital', 'Komdigi figures for this province: blank spots, 4G coverage, fiber, platform onboarding.'))
  async digital(@Root() province: Province, @Ctx() { loaders }: Context) {
    return toAggregate(await loaders.provinceAggregate.load(province.code));
  }
}

@Resolver(() => Regency)
export class RegencyDigitalResolver {
  @FieldResolver(() => DigitalAggregate, regionAggregateField('digital', 'Komdigi figures for this regency: blank spots, 4G coverage, fiber, platform onboarding.'))
  async digital(@Root() regency: Regency, @Ctx() { loaders }: Context) {
    return toAggregate(await loaders.regencyAggregate.load(regency.code));
  }
}
