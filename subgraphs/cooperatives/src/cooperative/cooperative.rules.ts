import { normalizeRegionCode, ruleViolation } from '@kopdes/kit';
import { LIFECYCLE_STAGES, loadRegions, stageAtLeast, UNIT_STATUSES, type LifecycleStage, type UnitStatus } from '@kopdes/kit/synthetic';

/**
 * Registry rules, shared by the mutations and the bulk import: each broken rule is a
 * BAD_USER_INPUT error whose `rule` names it and whose message says how to comply.
 */
export const IDENTIFIER_FORMATS = {
  ahuDecreeNumber: { pattern: /^AHU-\d{7}\.AH\.01\.\d{2}\.TAHUN \d{4}$/, example: 'AHU-0025573.AH.01.29.TAHUN 2025', stage: 'AHU_DECREE' },
  nikKoperasi: { pattern: /^\d{16}$/, example: '16 digits', stage: 'NIK_KOPERASI' },
  nib: { pattern: /^\d{13}$/, example: '13 digits', stage: 'NIB_ISSUED' },
  npwp: { pattern: /^\d{15,16}$/, example: '15 or 16 digits', stage: 'NPWP_ISSUED' },
} as const satisfies Record<string, { pattern: RegExp; example: string; stage: LifecycleStage }>;

export type IdentifierField = keyof typeof IDENTIFIER_FORMATS;

export function checkIdentifierFormat(field: IdentifierField, value: string | null | undefined): void {
  if (value === undefined || value === null) return;
  const format = IDENTIFIER_FORMATS[field];
  if (!format.pattern.test(value)) throw ruleViolation(`${field}_format`, `${field} "${value}" is not valid; expected ${format.example}.`);
}

/** The identifiers a stage requires: everything up to and including it. */
export function checkStageIdentifiers(stage: LifecycleStage, record: Partial<Record<IdentifierField, string | null>>): void {
  for (const [field, format] of Object.entries(IDENTIFIER_FORMATS) as [IdentifierField, (typeof IDENTIFIER_FORMATS)[IdentifierField]][]) {
    if (stageAtLeast(stage, format.stage) && !record[field]) {
      throw ruleViolation(`${field}_required`, `Stage ${stage} needs ${field} (${format.example}); it is issued at ${format.stage}.`);
    }
  }
}

export function checkStageForward(current: LifecycleStage, next: LifecycleStage): void {
  if (LIFECYCLE_STAGES.indexOf(next) < LIFECYCLE_STAGES.indexOf(current)) {
    throw ruleViolation('stage_order', `A cooperative cannot go back from ${current} to ${next}; the lifecycle only moves forward.`);
  }
}

export function checkUnitForward(current: UnitStatus | undefined, next: UnitStatus): void {
  if (current && UNIT_STATUSES.indexOf(next) < UNIT_STATUSES.indexOf(current)) {
    throw ruleViolation('unit_status_order', `A business unit cannot go back from ${current} to ${next}.`);
  }
}

let villages: Map<string, string> | undefined;

/** The village exists in the Kemendagri list; returns its kind. */
export function checkVillage(code: string): { code: string; kind: string } {
  const dotted = normalizeRegionCode(code, 'villageCode', 'VILLAGE');
  villages ??= new Map(loadRegions().villages.map((v) => [v.code, v.kind]));
  const kind = villages.get(dotted);
  if (!kind) throw ruleViolation('unknown_village', `No village has code ${dotted} in the Kemendagri list; check the code.`);
  return { code: dotted, kind };
}
