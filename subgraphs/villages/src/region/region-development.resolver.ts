import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { regionAggregateField, type SubgraphContext } from '@kopdes/kit';
import type { VillagesDb } from '../db';
import type { VillagesLoaders } from '../loaders';
import { DEVELOPMENT_SOURCE } from '../source';
import { checkYear } from '../years';
import { DevelopmentAggregate, Province, Regency } from './region-development.type';

type Context = SubgraphContext<VillagesDb, VillagesLoaders>;

@Resolver(() => Province)
export class ProvinceDevelopmentResolver {
  @FieldResolver(() => DevelopmentAggregate, regionAggregateField('villages', 'Villages per Indeks Desa status and Dana Desa total (Kemendes PDT) for this province.'))
  async development(
    @Root() province: Province,
    @Arg('year', () => Int, { nullable: true, description: 'Indeks Desa year; the latest when omitted.' }) year: number | null | undefined,
    @Ctx() { loaders }: Context,
  ): Promise<DevelopmentAggregate> {
    return { ...(await loaders.provinceAggregate.load({ code: province.code, year: checkYear(year) })), source: DEVELOPMENT_SOURCE };
  }
}

@Resolver(() => Regency)
export class RegencyDevelopmentResolver {
  @FieldResolver(() => DevelopmentAggregate, regionAggregateField('villages', 'Villages per Indeks Desa status and Dana Desa total (Kemendes PDT) for this regency.'))
  async development(
    @Root() regency: Regency,
    @Arg('year', () => Int, { nullable: true, description: 'Indeks Desa year; the latest when omitted.' }) year: number | null | undefined,
    @Ctx() { loaders }: Context,
  ): Promise<DevelopmentAggregate> {
    return { ...(await loaders.regencyAggregate.load({ code: regency.code, year: checkYear(year) })), source: DEVELOPMENT_SOURCE };
  }
}
