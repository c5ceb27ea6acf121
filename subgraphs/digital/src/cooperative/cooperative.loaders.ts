import { type Database, keyLoader, keyLookup } from '@kopdes/kit';
import { Prisma, type PlatformOnboarding } from '../generated/prisma/client';

const ONBOARDING_BY_COOPERATIVE = keyLookup<PlatformOnboarding>('PlatformOnboarding', 'cooperativeId', Object.values(Prisma.PlatformOnboardingScalarFieldEnum));

/** Behind `_entities` for Cooperative: one counted statement by primary key per batch (keyLoader). */
export function createCooperativeLoaders(database: Pick<Database<unknown>, 'read'>) {
  return {
    onboarding: keyLoader(database, ONBOARDING_BY_COOPERATIVE),
  };
}
