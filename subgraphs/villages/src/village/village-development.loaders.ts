import { type Database, groupLoader, listLookup } from '@kopdes/kit';
import { Prisma, type VillageYear } from '../generated/prisma/client';

const YEARS_OF_VILLAGE = listLookup<VillageYear>('VillageYear', 'villageCode', Object.values(Prisma.VillageYearScalarFieldEnum), [['year', 'asc']]);

export function createVillageDevelopmentLoaders(database: Pick<Database<unknown>, 'read'>) {
  return {
    // Development status and Dana Desa read the same rows: one counted statement per batch of villages (groupLoader).
    yearsOfVillage: groupLoader(database, YEARS_OF_VILLAGE),
  };
}
