import { insertRows, type SqlExecutor } from '@kopdes/kit';
import { loadRegions } from '@kopdes/kit/synthetic';

/** Loads the real Kemendagri regions (not synthetic) within the scope. */
export async function seedRegions(sql: SqlExecutor, scope: string | undefined): Promise<void> {
  const data = loadRegions(scope);
  const regencyProvince = new Map(data.regencies.map((r) => [r.code, r.provinceCode]));
  const districtParents = new Map(data.districts.map((d) => [d.code, d.regencyCode]));
  await insertRows(
    sql,
    'Province',
    ['code', 'name'],
    data.provinces.map((p) => [p.code, p.name]),
  );
  await insertRows(
    sql,
    'Regency',
    ['code', 'provinceCode', 'name'],
    data.regencies.map((r) => [r.code, r.provinceCode, r.name]),
  );
  await insertRows(
    sql,
    'District',
    ['code', 'regencyCode', 'provinceCode', 'name'],
    data.districts.map((d) => [d.code, d.regencyCode, regencyProvince.get(d.regencyCode), d.name]),
  );
  await insertRows(
    sql,
    'Village',
    ['code', 'districtCode', 'regencyCode', 'provinceCode', 'name', 'kind'],
    data.villages.map((v) => {
      const regency = districtParents.get(v.districtCode)!;
      return [v.code, v.districtCode, regency, regencyProvince.get(regency), v.name, v.kind];
    }),
  );
}
