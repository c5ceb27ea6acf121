import { regionLevel, ruleViolation, tryNormalizeRegionCode } from '@kopdes/kit';
import { loadRegions, type VillageKind } from '@kopdes/kit/synthetic';

let villages: Map<string, VillageKind> | undefined;

/** A village or urban ward that exists in the Kemendagri list; returns its dotted code and kind. */
export function checkVillage(code: string): { code: string; kind: VillageKind } {
  const dotted = tryNormalizeRegionCode(code);
  if (dotted === null || regionLevel(dotted) !== 'VILLAGE') {
    throw ruleViolation('villageCode_format', `"${code}" is not a village code; write the Kemendagri village code, e.g. "35.14.09.2019".`);
  }
  villages ??= new Map(loadRegions().villages.map((v) => [v.code, v.kind]));
  const kind = villages.get(dotted);
  if (!kind) throw ruleViolation('unknown_village', `No village has code ${dotted} in the Kemendagri list; check the code.`);
  return { code: dotted, kind };
}

export function checkCooperativeId(id: string): string {
  const trimmed = id.trim();
  if (!/^\S{3,100}$/.test(trimmed))
    throw ruleViolation('cooperativeId_required', 'cooperativeId must be the registry id of the cooperative, e.g. "KDMP-35.14.09.2019".');
  return trimmed;
}

/** Indeks Desa classifies desa only: a kelurahan has no development status. */
export function checkStatusForKind(kind: VillageKind, status: string | undefined | null): void {
  if (kind === 'KELURAHAN' && status) {
    throw ruleViolation('kelurahan_unclassified', `The site is in a kelurahan, which Indeks Desa does not classify; omit developmentStatus (got ${status}).`);
  }
}
