import { insertRows, type SqlExecutor } from '@kopdes/kit';
import { loadRegions, syntheticVillageYears, VILLAGES_SHAPE } from '@kopdes/kit/synthetic';

/** Every village in scope, every year: classified or not, so region counts add up. */
export async function seedVillages(sql: SqlExecutor, scope: string | undefined): Promise<void> {
  const { villages } = loadRegions(scope);
  await insertRows(
    sql,
    'VillageYear',
    ['villageCode', 'year', 'kind', 'districtCode', 'regencyCode', 'provinceCode', 'status', 'score', 'danaDesaCeiling', 'updatedAt'],
    villages.flatMap((village) => {
      const [p, r, d] = village.code.split('.');
      return syntheticVillageYears(village).map((y) => [
        y.villageCode,
        y.year,
        village.kind,
        `${p}.${r}.${d}`,
        `${p}.${r}`,
        p,
        y.status,
        y.score,
        y.danaDesaCeiling?.toString() ?? null,
        VILLAGES_SHAPE.publishedAt[y.year],
      ]);
    }),
  );
}
