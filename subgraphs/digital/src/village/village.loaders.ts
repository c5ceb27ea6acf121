import { rowLoader, type Database } from '@kopdes/kit';
import type { SignalLevel } from '../generated/prisma/enums';
import { latestSurveysSql } from './latest-surveys';

export interface LatestSurveyRow {
  villageCode: string;
  surveyedOn: Date;
  signal: SignalLevel;
  fiber: boolean;
  downloadMbps: number | null;
}

const LATEST_SURVEY = latestSurveysSql('"villageCode" = ANY($1)', '"villageCode", "surveyedOn", signal, fiber, "downloadMbps"');

export function createVillageLoaders(database: Pick<Database<unknown>, 'read'>) {
  return {
    /** The latest survey of each village (its current state), one counted statement per batch (straight on the pool on PostgreSQL). */
    latestSurvey: rowLoader(
      (codes: readonly string[]) => database.read<LatestSurveyRow>(LATEST_SURVEY, [[...codes]]),
      (row) => row.villageCode,
    ),
  };
}
