import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, checkSelectionSize, PagedBy, regionFilter, type SubgraphContext } from '@kopdes/kit';
import type { DigitalDb } from '../db';
import type { DigitalLoaders } from '../loaders';
import { DIGITAL_SOURCE } from '../source';
import { latestSurveysSql } from './latest-surveys';
import { SignalLevel, Village, VillageConnectivity } from './village.type';

type Context = SubgraphContext<DigitalDb, DigitalLoaders>;

const ORDER = Object.values(SignalLevel);

@Resolver(() => Village)
export class VillageConnectivityResolver {
  @FieldResolver(() => VillageConnectivity, {
    nullable: true,
    description: 'Komdigi: connectivity from the latest survey; null when the village was never surveyed.',
  })
  async connectivity(@Root() village: Village, @Ctx() { loaders }: Context): Promise<VillageConnectivity | null> {
    const survey = await loaders.latestSurvey.load(village.code);
    if (!survey) return null;
    return {
      asOf: survey.surveyedOn,
      source: DIGITAL_SOURCE,
      signal: survey.signal,
      fiber: survey.fiber,
      downloadMbps: survey.downloadMbps,
      surveyedOn: survey.surveyedOn,
    };
  }

  /**
   * Cross-sector selection: surveyed villages in a region chosen by their latest survey, as
   * references the gateway completes with other ministries' fields (e.g. "no 4G" AND
   * "loan disbursed" AND "no solar plant"). One SQL statement.
   */
  @PagedBy()
  @Query(() => [Village], {
    description: 'Surveyed villages in a region chosen by their latest survey, by code (at most 5,000). All given conditions must hold.',
  })
  async digitalVillages(
    @Arg('regionCode', () => String, { description: 'Region code prefix: "94", "94.01", "94.01.01" or a village code (dots optional).' }) regionCode: string,
    @Arg('maxSignal', () => SignalLevel, { nullable: true, description: 'Signal at most this (G3: no 4G; NONE: blank spots).' })
    maxSignal: SignalLevel | undefined,
    @Arg('minSignal', () => SignalLevel, { nullable: true, description: 'Signal at least this (G4: 4G or better).' }) minSignal: SignalLevel | undefined,
    @Arg('fiber', () => Boolean, { nullable: true }) fiber: boolean | undefined,
    @Arg('first', () => Int, { defaultValue: 1000, description: 'At most 5,000.' }) first: number,
    @Ctx() { prisma }: Context,
  ): Promise<Village[]> {
    const { column, code } = regionFilter(regionCode);
    checkSelectionSize(first);
    if (minSignal && maxSignal && ORDER.indexOf(minSignal) > ORDER.indexOf(maxSignal)) {
      throw badInput(`minSignal ${minSignal} is stronger than maxSignal ${maxSignal}: no village can match. Levels go ${ORDER.join(' < ')}.`, {
        argument: 'minSignal',
      });
    }
    const params: unknown[] = [code];
    const where: string[] = [];
    if (minSignal) {
      params.push(minSignal);
      where.push(`signal >= $${params.length}::"SignalLevel"`);
    }
    if (maxSignal) {
      params.push(maxSignal);
      where.push(`signal <= $${params.length}::"SignalLevel"`);
    }
    if (fiber != null) {
      params.push(fiber);
      where.push(`fiber = $${params.length}`);
    }
    params.push(first);
    return prisma.$queryRawUnsafe<Village[]>(
      `SELECT "villageCode" AS code FROM (${latestSurveysSql(`"${column}" = $1`, '"villageCode", signal, fiber')}) latest
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY 1 LIMIT $${params.length}`,
      ...params,
    );
  }
}
