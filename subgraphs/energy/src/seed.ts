import { insertRows, type SqlExecutor } from '@kopdes/kit';
import { loadRegions, randomFor, stageAtLeast, syntheticCooperative, type Random } from '@kopdes/kit/synthetic';
import { ElectricitySupply, SolarPlantStatus } from './generated/prisma/enums';
import { ENERGY_AS_OF } from './source';

/**
 * SYNTHETIC ESDM slice, shaped by shared/domain.md: ~5,700 villages without electricity,
 * concentrated in Papua (91-96), Maluku (81, 82) and NTT (53); off-grid supply and short
 * hours more common further east; solar plants at a few percent of cooperatives, mostly
 * PLANNED at 1-1.5 MWp ("one village, one megawatt"), with priority to villages without
 * (reliable) electricity, and a small number built like the first 400 kWp + 1 MWh unit.
 */
interface ElectricityProfile {
  /** Chance a desa has no electricity (a kelurahan: a tenth of it). */
  unelectrified: number;
  /** Chance an electrified desa is supplied off-grid (isolated diesel, micro-hydro, community solar). */
  offGrid: number;
  /** Chance grid supply runs at least 20 hours a day. */
  gridReliable: number;
  /** Lowest household electrification ratio on the grid. */
  gridRatioMin: number;
}

const profile = (unelectrified: number, offGrid: number, gridReliable: number, gridRatioMin: number): ElectricityProfile => ({
  unelectrified,
  offGrid,
  gridReliable,
  gridRatioMin,
});

const JAVA_BALI = profile(0, 0.003, 0.995, 0.95);
const SUMATRA = profile(0.012, 0.05, 0.93, 0.85);
const KALIMANTAN = profile(0.045, 0.15, 0.88, 0.8);
const SULAWESI = profile(0.02, 0.08, 0.9, 0.82);
const SULAWESI_CORE = profile(0.006, 0.05, 0.93, 0.85);

export const ELECTRICITY_PROFILES: Record<string, ElectricityProfile> = {
  ...Object.fromEntries(['31', '32', '33', '34', '35', '36', '51'].map((p) => [p, JAVA_BALI])),
  ...Object.fromEntries(['11', '12', '13', '14', '15', '16', '17', '18', '19'].map((p) => [p, SUMATRA])),
  '21': profile(0.03, 0.12, 0.9, 0.85), // Kepulauan Riau: small islands
  ...Object.fromEntries(['61', '62', '64', '65'].map((p) => [p, KALIMANTAN])),
  '63': profile(0.01, 0.05, 0.92, 0.85),
  ...Object.fromEntries(['72', '74', '76'].map((p) => [p, SULAWESI])),
  ...Object.fromEntries(['71', '73', '75'].map((p) => [p, SULAWESI_CORE])),
  '52': profile(0.01, 0.08, 0.9, 0.85),
  '53': profile(0.22, 0.25, 0.8, 0.7),
  '81': profile(0.24, 0.35, 0.75, 0.7),
  '82': profile(0.2, 0.35, 0.75, 0.7),
  '91': profile(0.37, 0.5, 0.7, 0.6),
  '92': profile(0.37, 0.5, 0.7, 0.6),
  '93': profile(0.42, 0.5, 0.7, 0.6),
  '94': profile(0.52, 0.5, 0.7, 0.6),
  '95': profile(0.76, 0.5, 0.7, 0.6),
  '96': profile(0.32, 0.5, 0.7, 0.6),
};

/** At least this many hours a day counts as reliable supply. */
export const RELIABLE_HOURS = 20;

/** Chance a cooperative (with a legal decree) has a plant, by its village's electricity. */
const PLANT_CHANCE = { unelectrified: 0.3, unreliable: 0.1, reliable: 0.025, kelurahan: 0.01 };
/** Of those, chance an OPERATING cooperative's plant is already being built or done. */
const BUILT_CHANCE = { unelectrified: 0.08, other: 0.03 };

function isoDay(start: string, rnd: Random, spanDays: number): string {
  const day = new Date(`${start}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + rnd.int(0, spanDays));
  return day.toISOString().slice(0, 10);
}

export async function seedEnergy(sql: SqlExecutor, scope: string | undefined): Promise<void> {
  const { villages } = loadRegions(scope);
  const electrification: unknown[][] = [];
  const sites: unknown[][] = [];
  const plants: unknown[][] = [];
  const asOf = ENERGY_AS_OF.toISOString();

  for (const village of villages) {
    const [p, r, d] = village.code.split('.') as [string, string, string];
    const regions = [`${p}.${r}.${d}`, `${p}.${r}`, p];
    const rnd = randomFor('energy', village.code);
    const urban = village.kind === 'KELURAHAN';
    const prof = ELECTRICITY_PROFILES[p] ?? SUMATRA;

    const electrified = !rnd.chance(urban ? prof.unelectrified / 10 : prof.unelectrified);
    let supply: ElectricitySupply = ElectricitySupply.NONE;
    let hours = 0;
    let ratio = 0;
    if (electrified) {
      const offGrid = rnd.chance(urban ? prof.offGrid / 5 : prof.offGrid);
      supply = offGrid ? ElectricitySupply.OFF_GRID : ElectricitySupply.PLN_GRID;
      const reliable = rnd.chance(offGrid ? 0.3 : prof.gridReliable);
      hours = reliable
        ? rnd.weighted([
            [24, 8],
            [22, 1],
            [20, 1],
          ])
        : offGrid
          ? rnd.int(6, 18)
          : rnd.int(12, 19);
      const min = offGrid ? 0.4 : prof.gridRatioMin;
      ratio = Math.round((min + (1 - min) * Math.sqrt(rnd.next())) * 1000) / 1000;
    }
    const reliableSupply = hours >= RELIABLE_HOURS;
    electrification.push([village.code, ...regions, electrified, ratio, supply, hours, reliableSupply, isoDay('2025-03-01', rnd, 200)]);

    const cooperative = syntheticCooperative(village);
    sites.push([cooperative.id, village.code, ...regions, asOf]);
    if (!stageAtLeast(cooperative.stage, 'AHU_DECREE')) continue;
    const chance = !electrified
      ? PLANT_CHANCE.unelectrified
      : !reliableSupply
        ? PLANT_CHANCE.unreliable
        : urban
          ? PLANT_CHANCE.kelurahan
          : PLANT_CHANCE.reliable;
    if (!rnd.chance(chance)) continue;
    const built = cooperative.stage === 'OPERATING' && rnd.chance(electrified ? BUILT_CHANCE.other : BUILT_CHANCE.unelectrified);
    const status: SolarPlantStatus = built
      ? rnd.weighted([
          [SolarPlantStatus.UNDER_CONSTRUCTION, 6],
          [SolarPlantStatus.COMMISSIONED, 3],
          [SolarPlantStatus.OPERATING, 1],
        ])
      : SolarPlantStatus.PLANNED;
    // Built units follow the first real one (400 kWp + 1 MWh); plans aim at 1-1.5 MWp.
    const capacityKwp = built
      ? rnd.weighted([
          [400, 5],
          [500, 2],
          [600, 1],
          [800, 1],
          [1000, 1],
        ])
      : 1000 + 50 * rnd.int(0, 10);
    const storageKwh = built ? capacityKwp * 2.5 : Math.round((capacityKwp * rnd.pick([1, 1.5, 2, 2.5])) / 100) * 100;
    const plannedOn = built ? isoDay('2025-06-15', rnd, 45) : isoDay('2025-08-01', rnd, 110);
    const commissionedOn = status === SolarPlantStatus.COMMISSIONED || status === SolarPlantStatus.OPERATING ? isoDay('2025-10-01', rnd, 50) : null;
    plants.push([
      `PLTS-${cooperative.id}-1`,
      cooperative.id,
      village.code,
      ...regions,
      capacityKwp,
      storageKwh,
      status,
      plannedOn,
      commissionedOn,
      commissionedOn ?? plannedOn,
    ]);
  }

  await insertRows(
    sql,
    'VillageElectrification',
    [
      'villageCode',
      'districtCode',
      'regencyCode',
      'provinceCode',
      'electrified',
      'electrificationRatio',
      'supply',
      'supplyHoursPerDay',
      'reliableSupply',
      'updatedAt',
    ],
    electrification,
    2000,
  );
  await insertRows(sql, 'CooperativeSite', ['cooperativeId', 'villageCode', 'districtCode', 'regencyCode', 'provinceCode', 'updatedAt'], sites, 3000);
  await insertRows(
    sql,
    'SolarPlant',
    [
      'id',
      'cooperativeId',
      'villageCode',
      'districtCode',
      'regencyCode',
      'provinceCode',
      'capacityKwp',
      'storageKwh',
      'status',
      'plannedOn',
      'commissionedOn',
      'updatedAt',
    ],
    plants,
    2000,
  );
  // Fresh planner statistics: region filters and GROUP BYs pick index scans from the first query.
  await sql.exec('ANALYZE "VillageElectrification", "CooperativeSite", "SolarPlant"');
}
