import { aggregateLoader } from '@kopdes/kit';
import type { DigitalDb } from '../db';
import { latestSurveysSql } from '../selection';

export interface DigitalAggregateRow {
  code: string;
  villagesSurveyed: number;
  blankSpotVillages: number;
  share4gOrBetter: number | null;
  fiberVillages: number;
  onboardedCooperatives: number;
  digitalPaymentCooperatives: number;
  asOf: Date | null;
}

/** Latest-survey connectivity and onboarding per region: one statement for every region of a batch. */
export function digitalAggregateSql(column: 'provinceCode' | 'regencyCode'): string {
  return `
    WITH latest AS (${latestSurveysSql(`"${column}" = ANY($1)`, `"${column}" AS code, signal, fiber, "surveyedOn"`)}),
    villages AS (
      SELECT code,
             count(*)::int AS "villagesSurveyed",
             count(*) FILTER (WHERE signal = 'NONE')::int AS "blankSpotVillages",
             (count(*) FILTER (WHERE signal >= 'G4'))::float8 / count(*) AS "share4gOrBetter",
             count(*) FILTER (WHERE fiber)::int AS "fiberVillages",
             max("surveyedOn")::timestamp AS "asOf"
        FROM latest GROUP BY 1
    ), cooperatives AS (
      SELECT "${column}" AS code,
             count(*) FILTER (WHERE "simkopdesOnboarded")::int AS "onboardedCooperatives",
             count(*) FILTER (WHERE "digitalPaymentsEnabled")::int AS "digitalPaymentCooperatives",
             max("updatedAt") AS "asOf"
        FROM "PlatformOnboarding" WHERE "${column}" = ANY($1) GROUP BY 1
    )
    SELECT code,
           coalesce(v."villagesSurveyed", 0) AS "villagesSurveyed", coalesce(v."blankSpotVillages", 0) AS "blankSpotVillages",
           v."share4gOrBetter", coalesce(v."fiberVillages", 0) AS "fiberVillages",
           coalesce(c."onboardedCooperatives", 0) AS "onboardedCooperatives", coalesce(c."digitalPaymentCooperatives", 0) AS "digitalPaymentCooperatives",
           greatest(v."asOf", c."asOf") AS "asOf"
      FROM villages v FULL JOIN cooperatives c USING (code)`;
}

function loaderFor(db: DigitalDb, column: 'provinceCode' | 'regencyCode') {
  const sql = digitalAggregateSql(column);
  return aggregateLoader((codes) => db.$queryRawUnsafe<DigitalAggregateRow[]>(sql, codes), (code) => ({
    code, villagesSurveyed: 0, blankSpotVillages: 0, share4gOrBetter: null, fiberVillages: 0, onboardedCooperatives: 0, digitalPaymentCooperatives: 0, asOf: null,
  }));
}

export function createRegionLoaders(db: DigitalDb) {
  return {
    provinceAggregate: loaderFor(db, 'provinceCode'),
    regencyAggregate: loaderFor(db, 'regencyCode'),
  };
}
