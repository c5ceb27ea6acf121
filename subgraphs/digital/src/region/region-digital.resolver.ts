import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { discloseRow, regionAggregateField, type SubgraphContext } from '@kopdes/kit';
import type { DigitalDb } from '../db';
import type { DigitalLoaders } from '../loaders';
import { DIGITAL_AS_OF, DIGITAL_SOURCE } from '../source';
import { emptyDigitalRow } from './region.loaders';
import { DigitalAggregate, Province, Regency } from './region.type';

type Context = SubgraphContext<DigitalDb, DigitalLoaders>;

/** The region's figures as the caller may read them (disclosure control for the public). */
async function digitalOf(code: string, { loaders, caller }: Context): Promise<DigitalAggregate> {
  const figures = discloseRow(await loaders.regionDigital.load({ code }), caller, emptyDigitalRow(code));
  return { ...figures, asOf: figures.asOf ?? DIGITAL_AS_OF, source: DIGITAL_SOURCE };
}

@Resolver(() => Province)
export class ProvinceDigitalResolver {
  @FieldResolver(
    () => DigitalAggregate,
    regionAggregateField('digital', 'Komdigi figures for this province: blank spots, 4G coverage, fiber, platform onboarding.'),
  )
  digital(@Root() province: Province, @Ctx() context: Context) {
    return digitalOf(province.code, context);
  }
}

@Resolver(() => Regency)
export class RegencyDigitalResolver {
  @FieldResolver(
    () => DigitalAggregate,
    regionAggregateField('digital', 'Komdigi figures for this regency: blank spots, 4G coverage, fiber, platform onboarding.'),
  )
  digital(@Root() regency: Regency, @Ctx() context: Context) {
    return digitalOf(regency.code, context);
  }
}
