/** Shown on every Kemendes PDT slice; the kit adds "(synthetic development data)" when the database holds seeded rows. */
export const INDEKS_DESA_SOURCE = 'Kemendes PDT Indeks Desa';
export const DANA_DESA_SOURCE = 'Dana Desa ceilings per village';
export const DEVELOPMENT_SOURCE = 'Kemendes PDT Indeks Desa and Dana Desa ceilings';
