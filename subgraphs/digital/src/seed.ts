import { insertRows, type SqlExecutor } from '@kopdes/kit';
import { loadRegions, randomFor, stageAtLeast, syntheticCooperative, type Random } from '@kopdes/kit/synthetic';
import { SignalLevel } from './generated/prisma/enums';
import { DIGITAL_AS_OF } from './source';

/**
 * SYNTHETIC Komdigi / Telkom slice, shaped by shared/domain.md: ~2,100-3,100 blank-spot
 * villages (no mobile signal) concentrated in Papua (91-96), Maluku (81, 82) and NTT (53);
 * 4G for most of Java and Bali; fiber mostly in cities (kelurahan). One to three surveys per
 * surveyed village, improving over time; the latest is the current state. Platform
 * onboarding follows the registry's SIMKOPDES stage; digital payments follow connectivity.
 */
interface SignalProfile {
  /** Chance a desa has no mobile signal at all (a kelurahan: a tenth of it). */
  blankSpot: number;
  /** Signal of a desa that has one. */
  desa: [SignalLevel, number][];
  /** Signal of a kelurahan that has one. */
  kelurahan: [SignalLevel, number][];
  fiberDesa: number;
  fiberKelurahan: number;
}

const { NONE, G2, G3, G4, G5 } = SignalLevel;

const JAVA_BALI: SignalProfile = {
  blankSpot: 0.0005,
  desa: [
    [G5, 1],
    [G4, 88],
    [G3, 9],
    [G2, 2],
  ],
  kelurahan: [
    [G5, 20],
    [G4, 78],
    [G3, 2],
  ],
  fiberDesa: 0.2,
  fiberKelurahan: 0.85,
};
const WEST_CENTRAL: SignalProfile = {
  blankSpot: 0.003,
  desa: [
    [G5, 0.5],
    [G4, 65],
    [G3, 22],
    [G2, 12.5],
  ],
  kelurahan: [
    [G5, 6],
    [G4, 88],
    [G3, 6],
  ],
  fiberDesa: 0.06,
  fiberKelurahan: 0.6,
};
const east = (blankSpot: number): SignalProfile => ({
  blankSpot,
  desa: [
    [G4, 45],
    [G3, 30],
    [G2, 25],
  ],
  kelurahan: [
    [G5, 2],
    [G4, 90],
    [G3, 8],
  ],
  fiberDesa: 0.02,
  fiberKelurahan: 0.45,
});
const papua = (blankSpot: number): SignalProfile => ({
  blankSpot,
  desa: [
    [G4, 35],
    [G3, 30],
    [G2, 35],
  ],
  kelurahan: [
    [G4, 80],
    [G3, 15],
    [G2, 5],
  ],
  fiberDesa: 0.01,
  fiberKelurahan: 0.3,
});

export const SIGNAL_PROFILES: Record<string, SignalProfile> = {
  ...Object.fromEntries(['31', '32', '33', '34', '35', '36', '51'].map((p) => [p, JAVA_BALI])),
  ...Object.fromEntries(['61', '62', '64', '65'].map((p) => [p, { ...WEST_CENTRAL, blankSpot: 0.006 }])),
  '53': east(0.05),
  '81': east(0.06),
  '82': east(0.07),
  '91': papua(0.15),
  '92': papua(0.15),
  '93': papua(0.22),
  '94': papua(0.32),
  '95': papua(0.45),
  '96': papua(0.12),
};

/** Share of villages surveyed at least once. */
const SURVEYED = 0.96;
/** Per earlier survey, chance the signal was one level weaker then. */
const EARLIER_WEAKER = 0.35;

function isoDay(start: string, rnd: Random, spanDays: number): string {
  const day = new Date(`${start}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + rnd.int(0, spanDays));
  return day.toISOString().slice(0, 10);
}

const LEVELS = Object.values(SignalLevel);

function downloadMbps(signal: SignalLevel, fiber: boolean, rnd: Random): number | null {
  const round = (x: number) => Math.round(x * 100) / 100;
  const mobile = { NONE: 0, G2: 0.05 + 0.15 * rnd.next(), G3: 0.5 + 3.5 * rnd.next(), G4: 5 + 35 * rnd.next(), G5: 80 + 220 * rnd.next() }[signal];
  const fixed = fiber ? 20 + 80 * rnd.next() : 0;
  const best = Math.max(mobile, fixed);
  return best > 0 ? round(best) : null;
}

export async function seedDigital(sql: SqlExecutor, scope: string | undefined): Promise<void> {
  const { villages } = loadRegions(scope);
  const surveys: unknown[][] = [];
  const onboarding: unknown[][] = [];

  for (const village of villages) {
    const [p, r, d] = village.code.split('.') as [string, string, string];
    const regions = [`${p}.${r}.${d}`, `${p}.${r}`, p];
    const rnd = randomFor('digital', village.code);
    const urban = village.kind === 'KELURAHAN';
    const prof = SIGNAL_PROFILES[p] ?? WEST_CENTRAL;

    let current: { signal: SignalLevel; fiber: boolean } | null = null;
    if (rnd.chance(SURVEYED)) {
      let signal: SignalLevel = rnd.chance(urban ? prof.blankSpot / 10 : prof.blankSpot) ? NONE : rnd.weighted(urban ? prof.kelurahan : prof.desa);
      let fiber = rnd.chance(urban ? prof.fiberKelurahan : prof.fiberDesa);
      current = { signal, fiber };
      const latest = new Date(`${isoDay('2025-01-06', rnd, 290)}T00:00:00Z`);
      const count = rnd.weighted([
        [1, 4],
        [2, 4],
        [3, 2],
      ]);
      for (let i = 0; i < count; i++) {
        const on = new Date(latest);
        on.setUTCDate(on.getUTCDate() - i * rnd.int(330, 400));
        surveys.push([village.code, on.toISOString().slice(0, 10), ...regions, signal, fiber, downloadMbps(signal, fiber, rnd)]);
        // Going back in time: coverage was the same or weaker.
        if (signal !== NONE && rnd.chance(EARLIER_WEAKER)) signal = LEVELS[LEVELS.indexOf(signal) - 1]!;
        if (fiber && rnd.chance(0.3)) fiber = false;
      }
    }

    const cooperative = syntheticCooperative(village);
    const onboarded = stageAtLeast(cooperative.stage, 'SIMKOPDES');
    let onboardedOn: string | null = null;
    let payments = false;
    if (onboarded) {
      onboardedOn = isoDay(cooperative.ahuDecreeDate ?? cooperative.musdesusDate, rnd, 60);
      if (onboardedOn > '2025-11-25') onboardedOn = '2025-11-25';
      const connected =
        current === null
          ? 0.15
          : current.fiber || current.signal === G4 || current.signal === G5
            ? cooperative.stage === 'OPERATING'
              ? 0.55
              : 0.2
            : current.signal === NONE
              ? 0.02
              : 0.12;
      payments = rnd.chance(connected);
    }
    onboarding.push([
      cooperative.id,
      village.code,
      ...regions,
      onboarded,
      payments,
      onboardedOn,
      onboardedOn ? `${onboardedOn}T00:00:00Z` : DIGITAL_AS_OF.toISOString(),
    ]);
  }

  await insertRows(
    sql,
    'ConnectivitySurvey',
    ['villageCode', 'surveyedOn', 'districtCode', 'regencyCode', 'provinceCode', 'signal', 'fiber', 'downloadMbps'],
    surveys,
    2500,
  );
  await insertRows(
    sql,
    'PlatformOnboarding',
    ['cooperativeId', 'villageCode', 'districtCode', 'regencyCode', 'provinceCode', 'simkopdesOnboarded', 'digitalPaymentsEnabled', 'onboardedOn', 'updatedAt'],
    onboarding,
    2000,
  );
  // Fresh planner statistics: region filters and GROUP BYs pick index scans from the first query.
  await sql.exec('ANALYZE "ConnectivitySurvey", "PlatformOnboarding"');
}
