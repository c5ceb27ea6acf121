import type { AnyImporter } from '@kopdes/kit';
import { businessUnitsImporter } from './business-units.importer';
import { stagesImporter } from './stages.importer';

/** What `npm run import -- cooperatives <file>` can load, by name (`--type`; else chosen by the file's columns). */
export const cooperativesImporters: Record<string, AnyImporter> = {
  stages: stagesImporter,
  'business-units': businessUnitsImporter,
};
