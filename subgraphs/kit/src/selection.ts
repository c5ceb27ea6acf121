import { normalizeRegionCode, regionLevel, type RegionLevel } from './codes';
import { badInput } from './errors';

/**
 * Region prefixes in ministry tables: each row carries its region's codes denormalised
 * (provinceCode … villageCode, each indexed), so "everything in region X" is one index lookup on
 * the column of X's level.
 */
export const REGION_COLUMN = { PROVINCE: 'provinceCode', REGENCY: 'regencyCode', DISTRICT: 'districtCode', VILLAGE: 'villageCode' } as const satisfies Record<
  RegionLevel,
  string
>;
export type RegionPrefixColumn = (typeof REGION_COLUMN)[RegionLevel];

/** The column a dotted region code filters on: "35" → provinceCode, "35.14.14.2001" → villageCode. */
export const regionColumn = (dottedCode: string): RegionPrefixColumn => REGION_COLUMN[regionLevel(dottedCode)];

/** The column and dotted code a region prefix argument filters on; BAD_USER_INPUT for a malformed code. */
export function regionFilter(regionCode: string, argument = 'regionCode'): { column: RegionPrefixColumn; code: string } {
  const code = normalizeRegionCode(regionCode, argument);
  return { column: regionColumn(code), code };
}

/** Cross-sector selections return entity references; beyond this, narrow the region. */
export const MAX_SELECTION = 5000;

export function checkSelectionSize(first: number): number {
  if (!Number.isInteger(first) || first < 0 || first > MAX_SELECTION) {
    throw badInput(`first must be between 0 and ${MAX_SELECTION}; got ${first}. Narrow the selection with a smaller regionCode.`, { argument: 'first' });
  }
  return first;
}
