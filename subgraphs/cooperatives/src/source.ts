/** Shown on every registry slice; the kit adds "(synthetic development data)" when the database holds seeded rows. */
export const REGISTRY_SOURCE = 'Kemenkop SIMKOPDES registry';
