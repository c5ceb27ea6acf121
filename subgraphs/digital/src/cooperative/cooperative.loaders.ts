import { rowLoader } from '@kopdes/kit';
import type { DigitalDb } from '../db';

export function createCooperativeLoaders(db: DigitalDb) {
  return {
    onboarding: rowLoader(
      (ids: readonly string[]) => db.platformOnboarding.findMany({ where: { cooperativeId: { in: [...ids] } } }),
      (o) => o.cooperativeId,
    ),
  };
}
