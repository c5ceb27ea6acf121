import { randomFor, type Random, type SyntheticCooperative } from '@kopdes/kit/synthetic';

export type PersonRole = 'BOARD' | 'STAFF';
export type TrainingProvider = 'BPVP' | 'BLK' | 'KEMENKOP';

/**
 * The SYNTHETIC labour slice, derived only from the registry's synthetic cooperative (stage,
 * formation, units), so it agrees with the registry on ids and stages. Shaped by
 * shared/domain.md "Labour": a target of 20–25 employees per cooperative, most staff at
 * operating cooperatives, ~7,600 board members trained nationally, training through Kemnaker's
 * vocational centres (BPVP, BLK) and Kemenkop. Counts and records only: no names or NIKs.
 */
export const LABOUR_SHAPE = {
  /** Date of the workforce reports; "hires" counts the 12 months before it. */
  reportedAt: '2025-11-25T00:00:00Z',
  operatingEmployees: { min: 3, max: 30 },
  /** Share of SIMKOPDES-stage cooperatives already employing a few people ahead of opening. */
  preOpeningEmployerShare: 0.12,
  /** Share of cooperatives whose board has had training, by stage; 1–5 members each. */
  boardTrainedShare: { OPERATING: 0.07, SIMKOPDES: 0.008 } as Record<string, number>,
  boardCertifiedShare: 0.35,
  /** Share of employees with a vocational training record, and of those certified. */
  staffTrainedShare: 0.2,
  staffCertifiedShare: 0.55,
  /** Revitalised or developed cooperatives may keep staff hired before the programme. */
  carriedOverStaffShare: 0.4,
} as const;

const BOARD_PROGRAMMES = ['Tata kelola koperasi', 'Manajemen usaha koperasi', 'Akuntansi dan laporan keuangan koperasi', 'Literasi keuangan dan pembiayaan'];
const STAFF_PROGRAMMES = [
  'Pelayanan ritel dan kasir',
  'Pergudangan dan rantai dingin',
  'Administrasi perkantoran',
  'Logistik dan distribusi',
  'Pembukuan simpan pinjam',
  'Asisten apoteker',
];

export interface SyntheticHire {
  hiredOn: string;
  count: number;
}
export interface SyntheticTraining {
  role: PersonRole;
  programme: string;
  provider: TrainingProvider;
  trainedOn: string;
  certified: boolean;
}
export interface SyntheticWorkforce {
  cooperativeId: string;
  villageCode: string;
  employees: number;
  hires: SyntheticHire[];
  trainings: SyntheticTraining[];
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A date in 2025 between the national launch (July) and the report date. */
function programmeDate(rnd: Random): string {
  const month = rnd.int(7, 11);
  return isoDate(2025, month, rnd.int(month === 7 ? 21 : 1, month === 11 ? 20 : 28));
}

function employeesOf(cooperative: SyntheticCooperative, rnd: Random): number {
  const { min, max } = LABOUR_SHAPE.operatingEmployees;
  if (cooperative.stage === 'OPERATING') {
    // Busier cooperatives (more operating units) employ more people.
    const operatingUnits = cooperative.units.filter((u) => u.status === 'OPERATING').length;
    const scale = 0.55 * rnd.next() + 0.45 * Math.min(1, operatingUnits / 7);
    return Math.round(min + (max - min) * scale ** 1.1);
  }
  if (cooperative.stage === 'SIMKOPDES' && rnd.chance(LABOUR_SHAPE.preOpeningEmployerShare)) return rnd.int(1, 6);
  return 0;
}

function hiresOf(cooperative: SyntheticCooperative, employees: number, rnd: Random): SyntheticHire[] {
  const hires: SyntheticHire[] = [];
  let remaining = employees;
  if (remaining > 1 && cooperative.formation !== 'NEW' && rnd.chance(LABOUR_SHAPE.carriedOverStaffShare)) {
    const kept = Math.max(1, Math.round(remaining * (0.3 + 0.3 * rnd.next())));
    hires.push({ hiredOn: isoDate(rnd.int(2019, 2024), rnd.int(1, 10), rnd.int(1, 28)), count: kept });
    remaining -= kept;
  }
  const events = Math.min(remaining, rnd.int(1, 4));
  for (let i = 0; i < events; i++) {
    const count = i === events - 1 ? remaining : rnd.int(1, remaining - (events - 1 - i));
    hires.push({ hiredOn: programmeDate(rnd), count });
    remaining -= count;
  }
  return hires.sort((a, b) => a.hiredOn.localeCompare(b.hiredOn));
}

function trainingsOf(cooperative: SyntheticCooperative, employees: number, rnd: Random): SyntheticTraining[] {
  const trainings: SyntheticTraining[] = [];
  if (rnd.chance(LABOUR_SHAPE.boardTrainedShare[cooperative.stage] ?? 0)) {
    const trained = rnd.int(1, 5);
    for (let i = 0; i < trained; i++) {
      trainings.push({
        role: 'BOARD',
        programme: rnd.pick(BOARD_PROGRAMMES),
        provider: rnd.weighted<TrainingProvider>([
          ['KEMENKOP', 70],
          ['BPVP', 20],
          ['BLK', 10],
        ]),
        trainedOn: programmeDate(rnd),
        certified: rnd.chance(LABOUR_SHAPE.boardCertifiedShare),
      });
    }
  }
  for (let i = 0; i < employees; i++) {
    if (!rnd.chance(LABOUR_SHAPE.staffTrainedShare)) continue;
    trainings.push({
      role: 'STAFF',
      programme: rnd.pick(STAFF_PROGRAMMES),
      provider: rnd.weighted<TrainingProvider>([
        ['BLK', 65],
        ['BPVP', 30],
        ['KEMENKOP', 5],
      ]),
      trainedOn: programmeDate(rnd),
      certified: rnd.chance(LABOUR_SHAPE.staffCertifiedShare),
    });
  }
  return trainings.sort((a, b) => a.trainedOn.localeCompare(b.trainedOn));
}

/** A cooperative's SYNTHETIC workforce report, derived only from the registry universe. */
export function syntheticWorkforce(cooperative: SyntheticCooperative): SyntheticWorkforce {
  const rnd = randomFor('labour', cooperative.id);
  const employees = employeesOf(cooperative, rnd);
  return {
    cooperativeId: cooperative.id,
    villageCode: cooperative.villageCode,
    employees,
    hires: employees > 0 ? hiresOf(cooperative, employees, rnd) : [],
    trainings: trainingsOf(cooperative, employees, rnd),
  };
}
