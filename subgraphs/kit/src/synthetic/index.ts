export * from './prng';
export * from './regions';
export * from './cooperatives';
export * from './villages';

/** Which regions a seed covers: all of Indonesia unless KOPDES_SEED_SCOPE names a region prefix. */
export function seedScope(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.KOPDES_SEED_SCOPE?.trim() || undefined;
}
