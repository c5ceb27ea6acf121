import { badInput } from './errors';

/** Kemendagri region code levels, by number of dotted segments. */
export type RegionLevel = 'PROVINCE' | 'REGENCY' | 'DISTRICT' | 'VILLAGE';

const LEVELS: readonly RegionLevel[] = ['PROVINCE', 'REGENCY', 'DISTRICT', 'VILLAGE'];
const DOTTED = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;
const UNDOTTED = /^(\d{2}|\d{4}|\d{6}|\d{10})$/;

export const REGION_CODE_FORMAT =
  'a Kemendagri code: province "35", regency "35.14", district "35.14.14" or village "35.14.14.2001" (dots optional: "3514142001")';

/** Returns the dotted form of a region code, or null when it is not a well-formed code. */
export function tryNormalizeRegionCode(input: string): string | null {
  const code = input.trim();
  if (DOTTED.test(code)) return code;
  if (!UNDOTTED.test(code)) return null;
  const parts = [code.slice(0, 2), code.slice(2, 4), code.slice(4, 6), code.slice(6)].filter((p) => p.length > 0);
  return parts.join('.');
}

/** Dotted code or a BAD_USER_INPUT error that shows the expected format. */
export function normalizeRegionCode(input: string, argument = 'code', level?: RegionLevel): string {
  const code = tryNormalizeRegionCode(input);
  if (code === null) {
    throw badInput(`"${input}" is not a region code. Expected ${REGION_CODE_FORMAT}.`, { argument });
  }
  if (level && regionLevel(code) !== level) {
    throw badInput(`"${input}" is a ${regionLevel(code).toLowerCase()} code; ${argument} needs a ${level.toLowerCase()} code (${REGION_CODE_FORMAT}).`, {
      argument,
    });
  }
  return code;
}

export function regionLevel(dottedCode: string): RegionLevel {
  return LEVELS[dottedCode.split('.').length - 1] ?? 'VILLAGE';
}

/** The province, regency, district parts of a dotted code (as far as it goes). */
export function regionAncestors(dottedCode: string): string[] {
  const parts = dottedCode.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

/** True when `code` lies inside region `prefix` (both dotted). */
export function withinRegion(code: string, prefix: string): boolean {
  return code === prefix || code.startsWith(prefix + '.');
}
