import { SYNTHETIC_LABEL } from './seed';

const SUFFIX = ` (${SYNTHETIC_LABEL})`;

/** A slice's `source` as served: labelled synthetic when its database holds seeded rows, never otherwise. */
export function labelSource(source: string, synthetic: boolean): string {
  const bare = source.endsWith(SUFFIX) ? source.slice(0, -SUFFIX.length) : source;
  return synthetic ? `${bare}${SUFFIX}` : bare;
}

/**
 * Every ministry slice carries `source` (and some a `synthetic` flag): one rule, here, says what
 * the data is, from the database's seed marker, so a subgraph cannot forget to label seeded data
 * and a ministry's real database is never called synthetic. Applied to every field so named (access.ts guardFields).
 */
export const labelled = (fieldName: string): boolean => fieldName === 'source' || fieldName === 'synthetic';

/** A `source` or `synthetic` value as served, given whether the database holds seeded rows. */
export function labelSlice(fieldName: string, value: unknown, synthetic: boolean): unknown {
  if (fieldName === 'source' && typeof value === 'string') return labelSource(value, synthetic);
  if (fieldName === 'synthetic' && typeof value === 'boolean') return synthetic;
  return value;
}
