import DataLoader from 'dataloader';
import type { DigitalDb } from '../db';
import type { SignalLevel } from '../generated/prisma/enums';
import { latestSurveysSql } from './latest-surveys';

export interface LatestSurveyRow {
  villageCode: string;
  surveyedOn: Date;
  signal: SignalLevel;
  fiber: boolean;
  downloadMbps: number | null;
}

export function createVillageLoaders(db: DigitalDb) {
  const sql = latestSurveysSql('"villageCode" = ANY($1)', '"villageCode", "surveyedOn", signal, fiber, "downloadMbps"');
  return {
    /** The latest survey of each village (its current state), one statement per batch. */
    latestSurvey: new DataLoader<string, LatestSurveyRow | null>(
      async (codes) => {
        const rows = await db.$queryRawUnsafe<LatestSurveyRow[]>(sql, [...codes]);
        const byCode = new Map(rows.map((row) => [row.villageCode, row]));
        return codes.map((code) => byCode.get(code) ?? null);
      },
      { maxBatchSize: 5000 },
    ),
  };
}
