import { type Database, groupLoader, keyLoader, keyLookup, listLookup } from '@kopdes/kit';
import { type CooperativeSite, Prisma, type SolarPlant } from '../generated/prisma/client';

const SITE_BY_COOPERATIVE = keyLookup<CooperativeSite>('CooperativeSite', 'cooperativeId', Object.values(Prisma.CooperativeSiteScalarFieldEnum));
const PLANTS_OF_COOPERATIVE = listLookup<SolarPlant>('SolarPlant', 'cooperativeId', Object.values(Prisma.SolarPlantScalarFieldEnum), [['id', 'asc']]);

export function createCooperativeLoaders(database: Pick<Database<unknown>, 'read'>) {
  return {
    /** Behind `_entities` for Cooperative: one counted statement by primary key per batch (keyLoader). */
    site: keyLoader(database, SITE_BY_COOPERATIVE),
    /** A cooperative's plants: one counted statement per batch (groupLoader). */
    plantsOfCooperative: groupLoader(database, PLANTS_OF_COOPERATIVE),
  };
}
