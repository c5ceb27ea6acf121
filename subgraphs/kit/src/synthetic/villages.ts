import { randomFor } from './prng';
import type { VillageRow } from './regions';

export type DevelopmentStatus = 'MANDIRI' | 'MAJU' | 'BERKEMBANG' | 'TERTINGGAL' | 'SANGAT_TERTINGGAL';
type Weights = Record<DevelopmentStatus, number>;

/**
 * The SYNTHETIC Kemendes PDT slice, derived only from the village code. It lives in the kit
 * because two ministries seed from it: villages publishes `Village.danaDesa`, and financing takes
 * the 30% intercept cap from the same ceiling, so the two agree. Shaped by shared/domain.md
 * "Region categories": Indeks Desa 2025 counts of about MANDIRI 20.5k, MAJU 23.6k, BERKEMBANG 21.8k,
 * TERTINGGAL 4.7k, SANGAT_TERTINGGAL 4.7k, the least developed concentrated in Papua, Maluku and
 * NTT; Dana Desa ceilings of Rp 0.6–1.6 billion, higher where villages are remote or less developed.
 */
export const VILLAGES_SHAPE = {
  years: [2024, 2025],
  /** When each year's Indeks Desa and Dana Desa ceilings were published. */
  publishedAt: { 2024: '2024-10-01T00:00:00Z', 2025: '2025-10-01T00:00:00Z' } as Record<number, string>,
  /** Score bands (lower bound, inclusive), after the Indeks Desa Membangun thresholds. */
  bands: [
    ['MANDIRI', 0.8155, 0.95],
    ['MAJU', 0.7072, 0.8155],
    ['BERKEMBANG', 0.5989, 0.7072],
    ['TERTINGGAL', 0.4907, 0.5989],
    ['SANGAT_TERTINGGAL', 0.3, 0.4907],
  ] as [DevelopmentStatus, number, number][],
  /** Status weights by province group; a regency's remoteness then tilts them. */
  profiles: {
    papua: { MANDIRI: 2, MAJU: 8, BERKEMBANG: 22, TERTINGGAL: 20, SANGAT_TERTINGGAL: 48 },
    eastern: { MANDIRI: 12, MAJU: 27, BERKEMBANG: 40, TERTINGGAL: 15, SANGAT_TERTINGGAL: 6 },
    javaBali: { MANDIRI: 42, MAJU: 38, BERKEMBANG: 18, TERTINGGAL: 1.5, SANGAT_TERTINGGAL: 0.5 },
    other: { MANDIRI: 24.5, MAJU: 31.5, BERKEMBANG: 35, TERTINGGAL: 4.6, SANGAT_TERTINGGAL: 1.5 },
  } satisfies Record<string, Weights>,
  provinceGroups: {
    papua: ['91', '92', '93', '94', '95', '96'],
    eastern: ['53', '81', '82'],
    javaBali: ['32', '33', '34', '35', '36', '51'],
  } as Record<string, string[]>,
  /** Desa not classified in any year (new or not assessed), and desa first assessed in 2025. */
  unclassifiedShare: 0.005,
  firstAssessedIn2025Share: 0.015,
  danaDesa: {
    min: 600_000_000,
    max: 1_600_000_000,
    base: { MANDIRI: 700_000_000, MAJU: 800_000_000, BERKEMBANG: 900_000_000, TERTINGGAL: 1_050_000_000, SANGAT_TERTINGGAL: 1_150_000_000 } as Weights,
    unclassifiedBase: 850_000_000,
    /** Population and area move a village's ceiling within this span (the same every year). */
    sizeSpan: 400_000_000,
    remoteBonus: { papua: 150_000_000, eastern: 80_000_000 } as Record<string, number>,
    yearFactor: { 2024: 0.98, 2025: 1 } as Record<number, number>,
  },
} as const;

export interface SyntheticVillageYear {
  villageCode: string;
  year: number;
  status: DevelopmentStatus | null;
  score: number | null;
  danaDesaCeiling: bigint | null;
}

function provinceGroup(provinceCode: string): string {
  for (const [group, codes] of Object.entries(VILLAGES_SHAPE.provinceGroups)) if (codes.includes(provinceCode)) return group;
  return 'other';
}

/** Scores carry four decimals and stay inside their band once rounded. */
function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

export function statusForScore(score: number): DevelopmentStatus {
  return VILLAGES_SHAPE.bands.find(([, low]) => score >= low)?.[0] ?? 'SANGAT_TERTINGGAL';
}

function danaDesa(group: string, status: DevelopmentStatus | null, year: number, size: number): bigint {
  const p = VILLAGES_SHAPE.danaDesa;
  const raw = ((status ? p.base[status] : p.unclassifiedBase) + (size - 0.25) * p.sizeSpan + (p.remoteBonus[group] ?? 0)) * (p.yearFactor[year] ?? 1);
  const clamped = Math.min(p.max, Math.max(p.min, raw));
  return BigInt(Math.round(clamped / 1000) * 1000);
}

/** A village's SYNTHETIC Indeks Desa and Dana Desa rows, one per year, derived only from its code. */
export function syntheticVillageYears(village: VillageRow): SyntheticVillageYear[] {
  const [provinceCode = '', regency = ''] = village.code.split('.');
  if (village.kind === 'KELURAHAN') {
    return VILLAGES_SHAPE.years.map((year) => ({ villageCode: village.code, year, status: null, score: null, danaDesaCeiling: null }));
  }
  const group = provinceGroup(provinceCode);
  // Remoteness is a regency trait: disadvantaged villages cluster by regency, not at random.
  const remoteness = Math.exp(randomFor('villages-regency', `${provinceCode}.${regency}`).next() * 1.2 - 0.6);
  const rnd = randomFor('villages', village.code);
  const unclassified = rnd.chance(VILLAGES_SHAPE.unclassifiedShare);
  const firstAssessedIn2025 = rnd.chance(VILLAGES_SHAPE.firstAssessedIn2025Share);
  const profile: Weights = VILLAGES_SHAPE.profiles[group as keyof typeof VILLAGES_SHAPE.profiles];
  const status2025 = rnd.weighted<DevelopmentStatus>([
    ['MANDIRI', profile.MANDIRI / remoteness],
    ['MAJU', profile.MAJU],
    ['BERKEMBANG', profile.BERKEMBANG],
    ['TERTINGGAL', profile.TERTINGGAL * remoteness],
    ['SANGAT_TERTINGGAL', profile.SANGAT_TERTINGGAL * remoteness],
  ]);
  const [, low, high] = VILLAGES_SHAPE.bands.find(([s]) => s === status2025)!;
  const score2025 = round4(low + 0.0001 + rnd.next() * (high - low - 0.0002));
  // Most villages improved a little over the year; a few slipped.
  const score2024 = round4(Math.min(0.99, Math.max(0.25, score2025 - (rnd.next() * 0.05 - 0.01))));
  const size = rnd.next();
  const scores: Record<number, number | null> = {
    2024: unclassified || firstAssessedIn2025 ? null : score2024,
    2025: unclassified ? null : score2025,
  };
  return VILLAGES_SHAPE.years.map((year) => {
    const score = scores[year] ?? null;
    const status = score === null ? null : statusForScore(score);
    return { villageCode: village.code, year, status, score, danaDesaCeiling: danaDesa(group, status, year, size) };
  });
}

/**
 * A village's SYNTHETIC Dana Desa ceiling for a budget year, exactly as `Village.danaDesa`
 * publishes it; null for a kelurahan (DAU/DBH instead) or a year without published ceilings.
 */
export function syntheticDanaDesaCeiling(village: VillageRow, year: number): bigint | null {
  return syntheticVillageYears(village).find((y) => y.year === year)?.danaDesaCeiling ?? null;
}
