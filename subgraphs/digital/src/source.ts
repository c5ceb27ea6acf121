/** Shown on every Komdigi slice; the kit adds "(synthetic development data)" when the database holds seeded rows. */
export const DIGITAL_SOURCE = 'Komdigi / Telkom village connectivity surveys and platform onboarding';
/** When the synthetic slice was last synchronised with the registry. */
export const DIGITAL_AS_OF = new Date('2025-11-28T00:00:00Z');
