/**
 * The latest survey of each village matching `where` (SQL over "ConnectivitySurvey"):
 * the current state. A subquery for one statement per use.
 */
export function latestSurveysSql(where: string, columns = '*'): string {
  return `SELECT DISTINCT ON ("villageCode") ${columns} FROM "ConnectivitySurvey" WHERE ${where} ORDER BY "villageCode", "surveyedOn" DESC`;
}
