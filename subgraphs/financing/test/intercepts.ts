import { loadRegions, syntheticCooperative } from '@kopdes/kit/synthetic';
import { syntheticFinancing } from '../src/synthetic';

/** The first regency whose synthetic data hold a desa loan in arrears already covered in part by Dana Desa. */
export function regencyWithIntercepts(): string {
  for (const regency of loadRegions().regencies) {
    const hit = loadRegions(regency.code).villages.some((v) =>
      syntheticFinancing(syntheticCooperative(v), v).loans.some((l) => l.status === 'ARREARS' && l.intercepts.length > 0),
    );
    if (hit) return regency.code;
  }
  throw new Error('The synthetic data hold no Dana Desa intercept: check FINANCING_SHAPE.');
}
