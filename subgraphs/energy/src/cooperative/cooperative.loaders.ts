import { type Database, keyLoader, keyLookup, listLoader } from '@kopdes/kit';
import type { EnergyDb } from '../db';
import { type CooperativeSite, Prisma } from '../generated/prisma/client';

const SITE_BY_COOPERATIVE = keyLookup<CooperativeSite>('CooperativeSite', 'cooperativeId', Object.values(Prisma.CooperativeSiteScalarFieldEnum));

export function createCooperativeLoaders(db: EnergyDb, database: Pick<Database<unknown>, 'read'>) {
  return {
    /** Behind `_entities` for Cooperative: one counted statement by primary key per batch (keyLoader). */
    site: keyLoader(database, SITE_BY_COOPERATIVE),
    plantsOfCooperative: listLoader(
      (ids: readonly string[]) => db.solarPlant.findMany({ where: { cooperativeId: { in: [...ids] } }, orderBy: { id: 'asc' } }),
      (p) => p.cooperativeId,
    ),
  };
}
