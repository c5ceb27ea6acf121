import { counts, disclosedAggregateLoader, type DisclosureSpec, type RegionColumn, type RegionSummary, summarisedAggregate } from '@kopdes/kit';
import type { DigitalDb } from '../db';
import { latestSurveysSql } from '../village/latest-surveys';

export interface DigitalAggregateRow {
  code: string;
  villagesSurveyed: number;
  blankSpotVillages: number;
  share4gOrBetter: number | null;
  fiberVillages: number;
  onboardedCooperatives: number;
  digitalPaymentCooperatives: number;
  asOf: Date | null;
  /** Cooperatives with an onboarding record: the population of the platform figures. */
  onboardingRecords: number;
}

/**
 * Disclosure control: every figure is a count or share, of the surveyed villages (each holding about one
 * cooperative; a village's connectivity needs an analyst) or of the cooperatives with an onboarding record.
 */
export const DIGITAL_DISCLOSURE: DisclosureSpec<DigitalAggregateRow> = [
  counts<DigitalAggregateRow>(['villagesSurveyed', 'blankSpotVillages', 'share4gOrBetter', 'fiberVillages'], 'villagesSurveyed'),
  counts<DigitalAggregateRow>(['onboardedCooperatives', 'digitalPaymentCooperatives'], 'onboardingRecords'),
];

export const emptyDigitalRow = (code: string): DigitalAggregateRow => ({
  code,
  villagesSurveyed: 0,
  blankSpotVillages: 0,
  share4gOrBetter: null,
  fiberVillages: 0,
  onboardedCooperatives: 0,
  digitalPaymentCooperatives: 0,
  asOf: null,
  onboardingRecords: 0,
});

/** Latest-survey connectivity and onboarding per region of one group. */
function digitalSql(column: RegionColumn, where: () => string): string {
  return `
    WITH latest AS (${latestSurveysSql(where(), `"${column}" AS code, signal, fiber, "surveyedOn"`)}),
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
             count(*)::int AS "onboardingRecords",
             count(*) FILTER (WHERE "simkopdesOnboarded")::int AS "onboardedCooperatives",
             count(*) FILTER (WHERE "digitalPaymentsEnabled")::int AS "digitalPaymentCooperatives",
             max("updatedAt") AS "asOf"
        FROM "PlatformOnboarding" WHERE ${where()} GROUP BY 1
    )
    SELECT code,
           coalesce(v."villagesSurveyed", 0) AS "villagesSurveyed", coalesce(v."blankSpotVillages", 0) AS "blankSpotVillages",
           v."share4gOrBetter", coalesce(v."fiberVillages", 0) AS "fiberVillages",
           coalesce(c."onboardedCooperatives", 0) AS "onboardedCooperatives", coalesce(c."digitalPaymentCooperatives", 0) AS "digitalPaymentCooperatives",
           greatest(v."asOf", c."asOf") AS "asOf", coalesce(c."onboardingRecords", 0) AS "onboardingRecords"
      FROM villages v FULL JOIN cooperatives c USING (code)`;
}

/** Province and regency figures kept summarised, current with every survey and onboarding write. */
export const DIGITAL_SUMMARY: RegionSummary = { name: 'digital', tables: ['ConnectivitySurvey', 'PlatformOnboarding'], select: digitalSql };

/** Province and regency figures with their disclosure decisions: one statement per batch. */
export function createRegionLoaders(db: DigitalDb) {
  return {
    regionDigital: disclosedAggregateLoader<DigitalAggregateRow>({
      spec: DIGITAL_DISCLOSURE,
      ...summarisedAggregate<DigitalAggregateRow>(db, DIGITAL_SUMMARY),
    }),
  };
}
