import { isoDay, ruleViolation } from '@kopdes/kit';
import type { RecordConnectivitySurveyInput } from './village-connectivity.input';
import { SignalLevel } from './village.type';

/** Komdigi survey rules: each broken rule is a BAD_USER_INPUT naming the rule and saying how to comply. */
export function checkSurveyOrder(villageCode: string, surveyedOn: Date, previous: Date | null): void {
  if (previous && surveyedOn < previous) {
    throw ruleViolation(
      'survey_order',
      `Village ${villageCode} was last surveyed on ${isoDay(previous)}; a new survey is dated on or after it (record a correction of that survey with surveyedOn ${isoDay(previous)}).`,
    );
  }
}

export function checkDownloadSpeed(input: RecordConnectivitySurveyInput): void {
  const speed = input.downloadMbps ?? null;
  if (speed === null) return;
  if (!(speed >= 0)) throw ruleViolation('download_speed_range', `downloadMbps must be 0 or more; got ${speed}.`);
  if (input.signal === SignalLevel.NONE && !input.fiber) {
    throw ruleViolation(
      'download_speed_without_service',
      `A village with no mobile signal and no fiber has no service to measure: leave downloadMbps out (null); got ${speed}.`,
    );
  }
}
