/**
 * The Task Force's four regions and the provinces each covers (shared/domain.md, "Task Force
 * regional leads"): I Central Java / Yogyakarta / Kalimantan; II West Java / Sumatra; III Jakarta /
 * Banten / Sulawesi / Maluku / Papua; IV East Java / Bali / NTB / NTT. Every one of the 38
 * Kemendagri province codes belongs to exactly one region (a test checks it).
 */
export interface TaskForceRegionRow {
  code: 'I' | 'II' | 'III' | 'IV';
  name: string;
  coverage: string;
  /** The official leading the region, once the secretariat records one. */
  lead: string | null;
  provinceCodes: string[];
}

export const TASK_FORCE_REGIONS: TaskForceRegionRow[] = [
  {
    code: 'I',
    name: 'Task Force Region I',
    coverage: 'Central Java, Yogyakarta, Kalimantan',
    lead: null,
    provinceCodes: ['33', '34', '61', '62', '63', '64', '65'],
  },
  {
    code: 'II',
    name: 'Task Force Region II',
    coverage: 'West Java, Sumatra',
    lead: null,
    provinceCodes: ['32', '11', '12', '13', '14', '15', '16', '17', '18', '19', '21'],
  },
  {
    code: 'III',
    name: 'Task Force Region III',
    coverage: 'Jakarta, Banten, Sulawesi, Maluku, Papua',
    lead: null,
    provinceCodes: ['31', '36', '71', '72', '73', '74', '75', '76', '81', '82', '91', '92', '93', '94', '95', '96'],
  },
  {
    code: 'IV',
    name: 'Task Force Region IV',
    coverage: 'East Java, Bali, West Nusa Tenggara, East Nusa Tenggara',
    lead: null,
    provinceCodes: ['35', '51', '52', '53'],
  },
];

const BY_PROVINCE = new Map(TASK_FORCE_REGIONS.flatMap((r) => r.provinceCodes.map((p) => [p, r] as const)));

/** The region a province (or any code inside it, e.g. "35.14") belongs to; null for an unknown code. */
export function taskForceRegionOf(code: string): TaskForceRegionRow | null {
  return BY_PROVINCE.get(code.slice(0, 2)) ?? null;
}
