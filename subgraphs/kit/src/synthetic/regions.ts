import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { withinRegion } from '../codes';
import { parse } from 'csv-parse/sync';

/**
 * Real Kemendagri regions from the npm package idn-area-data
 * (Kepmendagri 300.2.2-2138/2025; data licence ODbL).
 */
export type VillageKind = 'DESA' | 'KELURAHAN' | 'DESA_ADAT';

export interface ProvinceRow {
  code: string;
  name: string;
}
export interface RegencyRow {
  code: string;
  provinceCode: string;
  name: string;
}
export interface DistrictRow {
  code: string;
  regencyCode: string;
  name: string;
}
export interface VillageRow {
  code: string;
  districtCode: string;
  name: string;
  kind: VillageKind;
}

export interface RegionData {
  provinces: ProvinceRow[];
  regencies: RegencyRow[];
  districts: DistrictRow[];
  villages: VillageRow[];
}

function dataDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('idn-area-data/package.json')), 'data');
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  return parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
}

function readTable(file: string): string[][] {
  return parseCsv(readFileSync(path.join(dataDir(), file), 'utf8'))
    .slice(1)
    .filter((r) => r.length > 1);
}

/** The kind follows the 7th digit of the village code: 1 kelurahan, 2 desa, 3 desa adat. */
export function villageKind(code: string): VillageKind {
  const digit = code.split('.')[3]?.[0];
  return digit === '1' ? 'KELURAHAN' : digit === '3' ? 'DESA_ADAT' : 'DESA';
}

let cache: RegionData | undefined;

/** All regions, or only those within a region prefix (e.g. "35.14" for tests) or several ("31,35.14"). */
export function loadRegions(scope?: string): RegionData {
  cache ??= {
    provinces: readTable('provinces.csv').map(([code, name]) => ({ code: code!, name: name! })),
    regencies: readTable('regencies.csv').map(([code, provinceCode, name]) => ({ code: code!, provinceCode: provinceCode!, name: name! })),
    districts: readTable('districts.csv').map(([code, regencyCode, name]) => ({ code: code!, regencyCode: regencyCode!, name: name! })),
    villages: readTable('villages.csv').map(([code, districtCode, name]) => ({
      code: code!,
      districtCode: districtCode!,
      name: name!,
      kind: villageKind(code!),
    })),
  };
  if (!scope) return cache;
  const prefixes = scope
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const inScope = (code: string) => prefixes.some((prefix) => withinRegion(code, prefix) || withinRegion(prefix, code));
  return {
    provinces: cache.provinces.filter((p) => inScope(p.code)),
    regencies: cache.regencies.filter((r) => inScope(r.code)),
    districts: cache.districts.filter((d) => inScope(d.code)),
    villages: cache.villages.filter((v) => prefixes.some((prefix) => withinRegion(v.code, prefix))),
  };
}
