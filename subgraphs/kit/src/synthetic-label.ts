import type { MiddlewareFn } from 'type-graphql';
import { SYNTHETIC_LABEL } from './seed';
import type { SubgraphContext } from './subgraph';

const SUFFIX = ` (${SYNTHETIC_LABEL})`;

/** A slice's `source` as served: labelled synthetic when its database holds seeded rows, never otherwise. */
export function labelSource(source: string, synthetic: boolean): string {
  const bare = source.endsWith(SUFFIX) ? source.slice(0, -SUFFIX.length) : source;
  return synthetic ? `${bare}${SUFFIX}` : bare;
}

/**
 * Every ministry slice carries `source` (and some a `synthetic` flag): one rule, here, says what
 * the data is, from the database's seed marker, so a subgraph cannot forget to label seeded data
 * and a ministry's real database is never called synthetic.
 */
export const syntheticLabelMiddleware: MiddlewareFn<SubgraphContext<unknown, unknown>> = ({ info, context }, next) => {
  if (info.fieldName !== 'source' && info.fieldName !== 'synthetic') return next();
  const synthetic = context.db.synthetic;
  return Promise.resolve(next()).then((value: unknown) => {
    if (info.fieldName === 'source' && typeof value === 'string') return labelSource(value, synthetic);
    if (info.fieldName === 'synthetic' && typeof value === 'boolean') return synthetic;
    return value;
  });
};
