import { badInput, normalizeRegionCode, regionLevel } from '@kopdes/kit';

export const ENERGY_SOURCE = 'ESDM solar plants and village electrification';
/** When the synthetic slice was last synchronised with the registry. */
export const ENERGY_AS_OF = new Date('2025-11-28T00:00:00Z');

/** Cross-sector selections return entity references; beyond this, narrow the region. */
export const MAX_SELECTION = 5000;

const LEVEL_COLUMN = { PROVINCE: 'provinceCode', REGENCY: 'regencyCode', DISTRICT: 'districtCode', VILLAGE: 'villageCode' } as const;
export type RegionColumn = (typeof LEVEL_COLUMN)[keyof typeof LEVEL_COLUMN];

/** The denormalised column and dotted code a region prefix filters on (an index lookup). */
export function regionFilter(regionCode: string, argument = 'regionCode'): { column: RegionColumn; code: string } {
  const code = normalizeRegionCode(regionCode, argument);
  return { column: LEVEL_COLUMN[regionLevel(code)], code };
}

export function checkSelectionSize(first: number): number {
  if (!Number.isInteger(first) || first < 0 || first > MAX_SELECTION) {
    throw badInput(`first must be between 0 and ${MAX_SELECTION}; got ${first}. Narrow the selection with a smaller regionCode.`, { argument: 'first' });
  }
  return first;
}
