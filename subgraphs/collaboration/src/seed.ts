import { insertRows, type SqlExecutor } from '@kopdes/kit';
import { AGENCIES } from './agency/agencies';
import { syntheticCommitments, syntheticPilotSites } from './synthetic';

const SEEDED_AT = '2025-11-28T00:00:00Z';

/** The real agencies, and SYNTHETIC commitments and pilot sites for every province in scope. */
export async function seedCollaboration(sql: SqlExecutor, scope: string | undefined): Promise<void> {
  await insertRows(
    sql,
    'Agency',
    ['code', 'name', 'shortName', 'kind', 'taskForceMember', 'participation', 'dataSubgraph'],
    AGENCIES.map((a) => [a.code, a.name, a.shortName, a.kind, a.taskForceMember, a.participation, a.dataSubgraph]),
  );
  await insertRows(
    sql,
    'Commitment',
    ['id', 'agencyCode', 'provinceCode', 'indicator', 'target', 'baseline', 'startDate', 'dueDate', 'createdAt', 'updatedAt'],
    syntheticCommitments(scope).map((c) => [
      c.id,
      c.agencyCode,
      c.provinceCode,
      c.indicator,
      c.target,
      c.baseline,
      c.startDate,
      c.dueDate,
      SEEDED_AT,
      SEEDED_AT,
    ]),
    1000,
  );
  await insertRows(
    sql,
    'PilotSite',
    [
      'id',
      'cooperativeId',
      'villageCode',
      'districtCode',
      'regencyCode',
      'provinceCode',
      'model',
      'developmentStatus',
      'area3T',
      'outermostSmallIsland',
      'selectedOn',
      'updatedAt',
    ],
    syntheticPilotSites(scope).map((s) => {
      const [p, r, d] = s.villageCode.split('.');
      return [
        s.id,
        s.cooperativeId,
        s.villageCode,
        `${p}.${r}.${d}`,
        `${p}.${r}`,
        p,
        s.model,
        s.developmentStatus,
        s.area3T,
        s.outermostSmallIsland,
        s.selectedOn,
        SEEDED_AT,
      ];
    }),
  );
}
