/** Shown on every labour slice; the kit adds "(synthetic development data)" when the database holds seeded rows. */
export const LABOUR_SOURCE = 'Kemnaker workforce and training reports';
