/** Shown on every labour slice: these records are generated, not real Kemnaker reports. */
export const LABOUR_SOURCE = 'Kemnaker workforce and training reports (synthetic development data)';
