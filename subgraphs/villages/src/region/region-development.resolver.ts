import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { discloseRow, regionAggregateField, type SubgraphContext } from '@kopdes/kit';
import type { VillagesDb } from '../db';
import type { VillagesLoaders } from '../loaders';
import { DEVELOPMENT_SOURCE } from '../source';
import { dataYear } from '../village/village-development.rules';
import { emptyDevelopmentRow } from './region-development.loaders';
import { DevelopmentAggregate, Province, Regency } from './region-development.type';

type Context = SubgraphContext<VillagesDb, VillagesLoaders>;

const YEAR = { nullable: true, description: 'Indeks Desa year; the latest when omitted.' } as const;

/** The region's figures for a year as the caller may read them (disclosure control for the public). */
async function developmentOf(code: string, year: number | null | undefined, { loaders, caller }: Context): Promise<DevelopmentAggregate> {
  const checked = dataYear(year);
  const cell = await loaders.regionDevelopment.load({ code, table: String(checked) });
  return { ...discloseRow(cell, caller, emptyDevelopmentRow(code, checked)), year: checked, source: DEVELOPMENT_SOURCE };
}

@Resolver(() => Province)
export class ProvinceDevelopmentResolver {
  @FieldResolver(
    () => DevelopmentAggregate,
    regionAggregateField('villages', 'Villages per Indeks Desa status and Dana Desa total (Kemendes PDT) for this province.'),
  )
  development(
    @Root() province: Province,
    @Arg('year', () => Int, YEAR) year: number | null | undefined,
    @Ctx() context: Context,
  ): Promise<DevelopmentAggregate> {
    return developmentOf(province.code, year, context);
  }
}

@Resolver(() => Regency)
export class RegencyDevelopmentResolver {
  @FieldResolver(
    () => DevelopmentAggregate,
    regionAggregateField('villages', 'Villages per Indeks Desa status and Dana Desa total (Kemendes PDT) for this regency.'),
  )
  development(@Root() regency: Regency, @Arg('year', () => Int, YEAR) year: number | null | undefined, @Ctx() context: Context): Promise<DevelopmentAggregate> {
    return developmentOf(regency.code, year, context);
  }
}
