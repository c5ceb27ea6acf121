/** Shown on every financing slice: these records are generated, not real bank data. */
export const FINANCING_SOURCE = 'Kemenkeu / Himbara banks / LPDB loan records (synthetic development data)';
