import { type Database, keyLoader, keyLookup } from '@kopdes/kit';
import { Prisma, type VillageElectrification } from '../generated/prisma/client';

const ELECTRIFICATION_BY_VILLAGE = keyLookup<VillageElectrification>(
  'VillageElectrification',
  'villageCode',
  Object.values(Prisma.VillageElectrificationScalarFieldEnum),
);

/** Behind `_entities` for Village: one counted statement by primary key per batch (keyLoader). */
export function createVillageLoaders(database: Pick<Database<unknown>, 'read'>) {
  return {
    electrification: keyLoader(database, ELECTRIFICATION_BY_VILLAGE),
  };
}
