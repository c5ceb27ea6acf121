import { loadRegions, randomFor, stageAtLeast, syntheticCooperative, syntheticVillageYears, type VillageRow } from '@kopdes/kit/synthetic';
import { AGENCIES } from './agency/agencies';
import type { DevelopmentStatus, PilotModel } from './generated/prisma/enums';
import { INDICATORS, indicatorsOwnedBy, type Indicator } from './indicator/indicator';
import { formatHundredths } from './commitment/quantity';

/**
 * The SYNTHETIC Task Force slice: commitments and pilot sites, derived only from region codes so
 * every run (and every test scope) gets the same ones. Targets scale with the villages of the
 * province in scope, at per-village rates chosen around the other subgraphs' synthetic levels so
 * that statuses come out mixed. Agencies are real (shared/domain.md) and live in agency/agencies.ts.
 */
export const COLLABORATION_SHAPE = {
  /** National launch (21 July 2025) and the start of the next quarter: when commitments start. */
  startDates: ['2025-07-21', '2025-10-01'],
  /** Quarter ends 2025-Q4 … 2026-Q4: when commitments fall due. */
  dueDates: ['2025-12-31', '2026-03-31', '2026-06-30', '2026-09-30', '2026-12-31'],
  commitmentsPerAgency: [2, 6] as [number, number],
  /** Level per village in scope to reach by the last due date, [low, high]; earlier due dates aim at a share of it. */
  perVillage: {
    REGISTRY_LEGAL_ENTITIES: [0.96, 1.0],
    REGISTRY_LOAN_READY: [0.85, 1.0],
    REGISTRY_OPERATING: [0.4, 0.9],
    REGISTRY_MEMBERS: [15, 30],
    FINANCING_COOPERATIVES_FINANCED: [0.01, 0.25],
    FINANCING_AMOUNT_DISBURSED: [20_000_000, 600_000_000],
    ENERGY_KWP_COMMISSIONED: [2, 60],
    ENERGY_KWP_OPERATING: [1, 40],
    DIGITAL_COOPERATIVES_ONBOARDED: [0.9, 1.0],
    DIGITAL_FIBER_VILLAGES: [0.02, 0.4],
    DIGITAL_PAYMENT_COOPERATIVES: [0.1, 0.6],
    LABOUR_EMPLOYEES: [5, 25],
    LABOUR_TRAINED_BOARD_MEMBERS: [0.05, 3],
    LABOUR_CERTIFIED_STAFF: [0.3, 3],
  } as Partial<Record<Indicator, [number, number]>>,
  /** Share of the final level aimed at by the first due date; it rises linearly to 1 at the last. */
  firstDueShare: 0.6,
  /** MANDIRI villages: growth over the 2024 Indeks Desa count, [low, high]. */
  mandiriGrowth: [1.02, 1.25] as [number, number],
  pilotsPerProvince: [3, 6] as [number, number],
  /** Pilot cooperatives named in public reporting, always seeded when in scope. */
  knownPilots: ['35.14.09.2019'] as string[], // Wonokerto, Kabupaten Pasuruan (an early LPDB recipient)
  /** Provinces with outermost small islands, and those counted wholly as 3T areas here. */
  outermostIslandProvinces: ['11', '21', '53', '71', '81', '82', '91', '92', '96'] as string[],
  area3TProvinces: ['53', '81', '82', '91', '92', '93', '94', '95', '96'] as string[],
  pilotModels: [
    ['AGRIBUSINESS', 30],
    ['PLANTATION', 15],
    ['LIVESTOCK', 12],
    ['FISHERIES', 12],
    ['TRADE_AND_LOGISTICS', 18],
    ['TOURISM_AND_CRAFTS', 8],
  ] as [PilotModel, number][],
} as const;

export interface SyntheticCommitment {
  id: string;
  agencyCode: string;
  provinceCode: string;
  indicator: Indicator;
  target: string;
  baseline: string;
  startDate: string;
  dueDate: string;
}

export interface SyntheticPilotSite {
  id: string;
  cooperativeId: string;
  villageCode: string;
  model: PilotModel;
  developmentStatus: DevelopmentStatus | null;
  area3T: boolean;
  outermostSmallIsland: boolean;
  selectedOn: string;
}

const byProvince = (villages: VillageRow[]) => {
  const groups = new Map<string, VillageRow[]>();
  for (const v of villages) groups.set(v.code.slice(0, 2), [...(groups.get(v.code.slice(0, 2)) ?? []), v]);
  return groups;
};

function mandiriCount(villages: VillageRow[], year: number): number {
  return villages.filter((v) => syntheticVillageYears(v).find((y) => y.year === year)?.status === 'MANDIRI').length;
}

/** Whole units round to whole numbers (rupiah to the million), kWp to the half. */
function level(indicator: Indicator, value: number): string {
  const unit = INDICATORS[indicator].unit;
  const rounded = unit === 'RUPIAH' ? Math.round(value / 1e6) * 1e6 : unit === 'KWP' ? Math.round(value * 2) / 2 : Math.round(value);
  return formatHundredths(BigInt(Math.round(Math.max(unit === 'RUPIAH' ? 1e6 : 1, rounded) * 100)));
}

export function syntheticCommitments(scope: string | undefined): SyntheticCommitment[] {
  const shape = COLLABORATION_SHAPE;
  const out: SyntheticCommitment[] = [];
  for (const [province, villages] of byProvince(loadRegions(scope).villages)) {
    let mandiri: { y2024: number; y2025: number } | undefined;
    for (const agency of AGENCIES) {
      const indicators = indicatorsOwnedBy(agency.dataSubgraph);
      if (indicators.length === 0) continue;
      const rnd = randomFor('collaboration-commitments', `${agency.code}:${province}`);
      const wanted = rnd.int(...shape.commitmentsPerAgency);
      const seen = new Set<string>();
      let sequence = 0;
      const offset = rnd.int(0, indicators.length - 1);
      for (let i = 0; i < wanted; i++) {
        const indicator = indicators[(offset + i) % indicators.length]!;
        const dueIndex = rnd.int(0, shape.dueDates.length - 1);
        const dueDate = shape.dueDates[dueIndex]!;
        if (seen.has(`${indicator}|${dueDate}`)) continue;
        seen.add(`${indicator}|${dueDate}`);
        const startDate = dueIndex === 0 ? shape.startDates[0] : rnd.pick(shape.startDates);
        let target: string;
        let baseline = '0';
        if (indicator === 'DEVELOPMENT_MANDIRI_VILLAGES') {
          mandiri ??= { y2024: mandiriCount(villages, 2024), y2025: mandiriCount(villages, 2025) };
          const growth = shape.mandiriGrowth[0] + rnd.next() * (shape.mandiriGrowth[1] - shape.mandiriGrowth[0]);
          baseline = String(mandiri.y2024);
          target = String(Math.max(mandiri.y2024 + 1, Math.round(mandiri.y2024 * growth)));
        } else {
          const [low, high] = shape.perVillage[indicator]!;
          const share = shape.firstDueShare + ((1 - shape.firstDueShare) * dueIndex) / (shape.dueDates.length - 1);
          target = level(indicator, villages.length * (low + rnd.next() * (high - low)) * share);
        }
        out.push({
          id: `${agency.code}-${province}-${++sequence}`,
          agencyCode: agency.code,
          provinceCode: province,
          indicator,
          target,
          baseline,
          startDate,
          dueDate,
        });
      }
    }
  }
  return out;
}

export function syntheticPilotSites(scope: string | undefined): SyntheticPilotSite[] {
  const shape = COLLABORATION_SHAPE;
  const out: SyntheticPilotSite[] = [];
  for (const [province, villages] of byProvince(loadRegions(scope).villages)) {
    const rnd = randomFor('collaboration-pilots', province);
    // Pilots are cooperatives already on SIMKOPDES; the lowest draws win, the named pilots always.
    const draws = villages
      .map((v) => ({ v, draw: shape.knownPilots.includes(v.code) ? -1 : randomFor('collaboration-pilot', v.code).next() }))
      .filter(({ v }) => stageAtLeast(syntheticCooperative(v).stage, 'SIMKOPDES') || shape.knownPilots.includes(v.code))
      .sort((a, b) => a.draw - b.draw);
    const chosen = draws.slice(0, rnd.int(...shape.pilotsPerProvince)).map(({ v }) => v);
    for (const village of chosen) {
      const site = randomFor('collaboration-pilot-site', village.code);
      const cooperative = syntheticCooperative(village);
      const status = syntheticVillageYears(village).find((y) => y.year === 2025)?.status ?? null;
      const outermost = shape.outermostIslandProvinces.includes(province) && site.chance(0.3);
      const area3T = shape.area3TProvinces.includes(province) || status === 'TERTINGGAL' || status === 'SANGAT_TERTINGGAL' || outermost;
      const model: PilotModel = village.kind === 'KELURAHAN' ? 'URBAN_SERVICES' : outermost ? 'FISHERIES' : site.weighted(shape.pilotModels);
      const day = new Date(Date.UTC(2025, 6, 21) + site.int(0, 100) * 86_400_000).toISOString().slice(0, 10);
      out.push({
        id: `PILOT-${cooperative.id}`,
        cooperativeId: cooperative.id,
        villageCode: village.code,
        model,
        developmentStatus: status,
        area3T,
        outermostSmallIsland: outermost,
        selectedOn: day,
      });
    }
  }
  return out;
}
