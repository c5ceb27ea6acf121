import type { IndicatorUnit } from '../indicator/indicator';

/**
 * Commitment targets and realisations are exact decimals in the indicator's unit, kept as hundredths
 * in a bigint: rupiah amounts reach hundreds of trillions, kWp carry decimals, and neither may be rounded.
 */
const DECIMAL = /^\d+(\.\d{1,2})?$/;

/** Units counted in whole things (and whole rupiah); kWp may carry two decimals. */
export const WHOLE_UNITS: ReadonlySet<IndicatorUnit> = new Set(['COOPERATIVES', 'VILLAGES', 'PEOPLE', 'RUPIAH']);

/** "512.5" → 51250n; null when not a non-negative decimal with at most two decimals. */
export function parseHundredths(text: string): bigint | null {
  const value = text.trim();
  if (!DECIMAL.test(value)) return null;
  const [whole, fraction = ''] = value.split('.');
  return BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** 51250n → "512.5"; 50000n → "500". */
export function formatHundredths(hundredths: bigint): string {
  const sign = hundredths < 0n ? '-' : '';
  const abs = hundredths < 0n ? -hundredths : hundredths;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** A reading as published ("1250.5", "12565000000", "358") in hundredths, rounded half up past two decimals. */
export function readingHundredths(value: string): bigint {
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const cents = BigInt(whole || '0') * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0')) + (Number(fraction[2] ?? '0') >= 5 ? 1n : 0n);
  return negative ? -cents : cents;
}

/** A database decimal (Prisma Decimal, or its text) in hundredths. */
export function decimalHundredths(value: { toFixed(digits: number): string } | string): bigint {
  return readingHundredths(typeof value === 'string' ? value : value.toFixed(2));
}

/** Share a / b as a float (both in hundredths); exact enough for a progress bar, never used for DONE. */
export function share(a: bigint, b: bigint): number {
  return b === 0n ? 0 : Number((a * 1_000_000n) / b) / 1_000_000;
}
