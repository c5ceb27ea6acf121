/** Shown on every financing slice; the kit adds "(synthetic development data)" when the database holds seeded rows. */
export const FINANCING_SOURCE = 'Kemenkeu / Himbara banks / LPDB loan records';
