/** Shown on every Kemendes PDT slice: these figures are generated, not the published Indeks Desa or Dana Desa. */
export const INDEKS_DESA_SOURCE = 'Kemendes PDT Indeks Desa (synthetic development data)';
export const DANA_DESA_SOURCE = 'Dana Desa ceilings per village (synthetic development data)';
export const DEVELOPMENT_SOURCE = 'Kemendes PDT Indeks Desa and Dana Desa ceilings (synthetic development data)';
