import { insertRows, type SqlExecutor } from '@kopdes/kit';
import { loadRegions, syntheticCooperative } from '@kopdes/kit/synthetic';

/** One SYNTHETIC cooperative per village in scope, with its board and business units. */
export async function seedCooperatives(sql: SqlExecutor, scope: string | undefined): Promise<void> {
  const { villages } = loadRegions(scope);
  const cooperatives = villages.map(syntheticCooperative);
  await insertRows(
    sql,
    'Cooperative',
    [
      'id',
      'name',
      'kind',
      'villageCode',
      'districtCode',
      'regencyCode',
      'provinceCode',
      'formation',
      'stage',
      'musdesusDate',
      'ahuDecreeNumber',
      'ahuDecreeDate',
      'nikKoperasi',
      'nib',
      'npwp',
      'members',
      'board',
      'units',
      'updatedAt',
    ],
    cooperatives.map((c) => {
      const [p, r, d] = c.villageCode.split('.');
      return [
        c.id,
        c.name,
        c.kind,
        c.villageCode,
        `${p}.${r}.${d}`,
        `${p}.${r}`,
        p,
        c.formation,
        c.stage,
        c.musdesusDate,
        c.ahuDecreeNumber,
        c.ahuDecreeDate,
        c.nikKoperasi,
        c.nib,
        c.npwp,
        c.members,
        c.board,
        c.units,
        '2025-11-28T00:00:00Z',
      ];
    }),
    1000,
  );
}
