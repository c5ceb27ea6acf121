import DataLoader from 'dataloader';
import type { Database } from '@kopdes/kit';
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
    latestSurvey: new DataLoader<string, LatestSurveyRow | null>(
      async (codes) => {
        const rows = await database.read<LatestSurveyRow>(LATEST_SURVEY, [[...codes]]);
        const byCode = new Map(rows.map((row) => [row.villageCode, row]));
        return codes.map((code) => byCode.get(code) ?? null);
      },
      { maxBatchSize: 5000 },
    ),
  };
}
