/** Shown on every ESDM slice; the kit adds "(synthetic development data)" when the database holds seeded rows. */
export const ENERGY_SOURCE = 'ESDM solar plants and village electrification';
/** When the synthetic slice was last synchronised with the registry. */
export const ENERGY_AS_OF = new Date('2025-11-28T00:00:00Z');
