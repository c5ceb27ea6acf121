import { randomFor } from './prng';
import type { VillageRow } from './regions';

/**
 * The synthetic cooperative registry: one cooperative per village, derived only from the
 * village code, so every ministry's seed agrees on ids and stages without sharing a
 * database. SYNTHETIC: shaped by public 2025 figures (shared/domain.md), not real records.
 */
export type CooperativeKind = 'KDMP' | 'KKMP';
export type FormationPath = 'NEW' | 'REVITALIZED' | 'DEVELOPED';

/** Lifecycle in order; each stage implies all earlier ones. */
export const LIFECYCLE_STAGES = [
  'MUSDESUS_HELD',
  'NOTARY_DEED',
  'AHU_DECREE',
  'NIK_KOPERASI',
  'NIB_ISSUED',
  'NPWP_ISSUED',
  'BANK_ACCOUNT',
  'SIMKOPDES',
  'OPERATING',
] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export function stageAtLeast(stage: LifecycleStage, minimum: LifecycleStage): boolean {
  return LIFECYCLE_STAGES.indexOf(stage) >= LIFECYCLE_STAGES.indexOf(minimum);
}

export const BUSINESS_UNIT_TYPES = [
  'OFFICE',
  'SEMBAKO_OUTLET',
  'SAVINGS_AND_LOAN',
  'VILLAGE_CLINIC',
  'VILLAGE_PHARMACY',
  'COLD_STORAGE',
  'LOGISTICS',
  'FERTILISER',
  'LPG',
  'FREE_MEALS_SUPPLY',
] as const;
export type BusinessUnitType = (typeof BUSINESS_UNIT_TYPES)[number];
export const UNIT_STATUSES = ['PLANNED', 'UNDER_CONSTRUCTION', 'COMPLETED', 'OPERATING'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export const BOARD_ROLES = ['CHAIR', 'VICE_CHAIR_BUSINESS', 'VICE_CHAIR_MEMBERSHIP', 'SECRETARY', 'TREASURER', 'SUPERVISOR_CHAIR', 'SUPERVISOR'] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];

export interface SyntheticBoardMember {
  role: BoardRole;
  name: string;
  nik: string;
  exOfficio: boolean;
}
export interface SyntheticBusinessUnit {
  type: BusinessUnitType;
  status: UnitStatus;
}

export interface SyntheticCooperative {
  id: string;
  name: string;
  kind: CooperativeKind;
  villageCode: string;
  formation: FormationPath;
  stage: LifecycleStage;
  musdesusDate: string;
  ahuDecreeNumber: string | null;
  ahuDecreeDate: string | null;
  nikKoperasi: string | null;
  nib: string | null;
  npwp: string | null;
  members: number;
  board: SyntheticBoardMember[];
  units: SyntheticBusinessUnit[];
}

// Late-2025 shape: ~98.8% hold a decree, ~93% a SIMKOPDES account, a minority operating.
const STAGE_WEIGHTS: [LifecycleStage, number][] = [
  ['MUSDESUS_HELD', 0.6],
  ['NOTARY_DEED', 0.6],
  ['AHU_DECREE', 1.6],
  ['NIK_KOPERASI', 1.4],
  ['NIB_ISSUED', 1.4],
  ['NPWP_ISSUED', 1.0],
  ['BANK_ACCOUNT', 0.4],
  ['SIMKOPDES', 55],
  ['OPERATING', 38],
];
const FIRST = [
  'Agus',
  'Budi',
  'Siti',
  'Dewi',
  'Eko',
  'Sri',
  'Joko',
  'Rina',
  'Wahyu',
  'Nur',
  'Ahmad',
  'Lestari',
  'Yohanes',
  'Maria',
  'I Made',
  'Ni Luh',
  'Hendra',
  'Fitri',
  'Rahmat',
  'Yuliana',
];
const LAST = [
  'Santoso',
  'Wijaya',
  'Saputra',
  'Rahayu',
  'Hidayat',
  'Kurniawan',
  'Pratama',
  'Lubis',
  'Siregar',
  'Nainggolan',
  'Wenda',
  'Kogoya',
  'Manuputty',
  'Tanjung',
  'Purnomo',
  'Suryani',
  'Harahap',
  'Setiawan',
];

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function cooperativeIdFor(villageCode: string, kind: CooperativeKind): string {
  return `${kind}-${villageCode}`;
}

export function syntheticCooperative(village: VillageRow): SyntheticCooperative {
  const rnd = randomFor('registry', village.code);
  const kind: CooperativeKind = village.kind === 'KELURAHAN' ? 'KKMP' : 'KDMP';
  const stage = rnd.weighted(STAGE_WEIGHTS);
  const at = (minimum: LifecycleStage) => stageAtLeast(stage, minimum);
  const musdesusMonth = rnd.int(4, 6);
  const decreeMonth = rnd.int(musdesusMonth + 1, 9);
  const districtDigits = village.code.split('.').slice(0, 3).join('');
  const person = (role: BoardRole, exOfficio = false): SyntheticBoardMember => ({
    role,
    exOfficio,
    name: `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`,
    // NIK: district digits, birth date, serial; synthetic and never a real person's.
    nik: `${districtDigits}${String(rnd.int(1, 28)).padStart(2, '0')}${String(rnd.int(1, 12)).padStart(2, '0')}${String(rnd.int(60, 99))}${rnd.digits(4)}`,
  });
  const board = [
    person('CHAIR'),
    person('VICE_CHAIR_BUSINESS'),
    person('VICE_CHAIR_MEMBERSHIP'),
    person('SECRETARY'),
    person('TREASURER'),
    person('SUPERVISOR_CHAIR', kind === 'KDMP'),
    person('SUPERVISOR'),
  ];
  const units: SyntheticBusinessUnit[] = [];
  if (at('AHU_DECREE')) {
    for (const type of BUSINESS_UNIT_TYPES.slice(0, 7)) {
      if (type !== 'OFFICE' && !rnd.chance(0.8)) continue;
      const status: UnitStatus = at('OPERATING')
        ? rnd.weighted([
            ['OPERATING', 6],
            ['COMPLETED', 2],
            ['UNDER_CONSTRUCTION', 1],
            ['PLANNED', 1],
          ])
        : rnd.weighted([
            ['COMPLETED', 1],
            ['UNDER_CONSTRUCTION', 3],
            ['PLANNED', 6],
          ]);
      units.push({ type, status });
    }
    for (const type of BUSINESS_UNIT_TYPES.slice(7)) {
      if (rnd.chance(0.12))
        units.push({
          type,
          status: rnd.weighted([
            ['PLANNED', 2],
            ['OPERATING', 1],
          ]),
        });
    }
  }
  return {
    id: cooperativeIdFor(village.code, kind),
    name: `${kind === 'KDMP' ? 'Koperasi Desa' : 'Koperasi Kelurahan'} Merah Putih ${village.name}`,
    kind,
    villageCode: village.code,
    formation: rnd.weighted([
      ['NEW', 72],
      ['REVITALIZED', 20],
      ['DEVELOPED', 8],
    ]),
    stage,
    musdesusDate: isoDate(2025, musdesusMonth, rnd.int(1, 28)),
    ahuDecreeNumber: at('AHU_DECREE') ? `AHU-${String(rnd.int(1, 99999)).padStart(7, '0')}.AH.01.29.TAHUN 2025` : null,
    ahuDecreeDate: at('AHU_DECREE') ? isoDate(2025, decreeMonth, rnd.int(1, 28)) : null,
    nikKoperasi: at('NIK_KOPERASI') ? `${village.code.replace(/\./g, '').slice(0, 6)}${rnd.digits(10)}` : null,
    nib: at('NIB_ISSUED') ? `${rnd.int(1, 9)}${rnd.digits(12)}` : null,
    npwp: at('NPWP_ISSUED') ? `0${rnd.digits(15)}` : null,
    members: Math.round(9 + 30 * rnd.next() ** 2.2),
    board,
    units,
  };
}
