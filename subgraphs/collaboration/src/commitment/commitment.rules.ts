import { regionLevel, ruleViolation, tryNormalizeRegionCode } from '@kopdes/kit';
import { loadRegions } from '@kopdes/kit/synthetic';
import { AGENCIES } from '../agency/agencies';
import type { Agency as AgencyRow } from '../generated/prisma/client';
import { INDICATORS, subgraphOf, type Indicator } from '../indicator/indicator';
import { formatHundredths, parseHundredths, WHOLE_UNITS } from './quantity';

/**
 * Commitment rules, shared by the mutations: each broken rule is a BAD_USER_INPUT error whose
 * `rule` names it and whose message says how to comply.
 */
export function checkAgency(agency: AgencyRow | null, code: string): AgencyRow {
  if (!agency) throw ruleViolation('unknown_agency', `No agency has code "${code}"; see Query.agencies (e.g. "ESDM", "KEMENKOP").`);
  return agency;
}

/** An agency commits only to what it measures itself: ENERGY_* for ESDM, REGISTRY_* for Kemenkop, and so on. */
export function checkAgencyOwnsIndicator(agency: AgencyRow, indicator: Indicator): void {
  const subgraph = subgraphOf(indicator);
  if (agency.dataSubgraph === subgraph) return;
  const owner = AGENCIES.find((a) => a.dataSubgraph === subgraph);
  throw ruleViolation(
    'agency_owns_indicator',
    `${indicator} is published by the ${subgraph} subgraph, so only ${owner?.shortName ?? 'its owner'} (${owner?.code ?? subgraph}) may commit to it; ` +
      `${agency.shortName} may commit to ${agency.dataSubgraph ? `the ${agency.dataSubgraph} indicators` : 'no indicator (it owns no data in the graph)'}.`,
  );
}

let provinces: Set<string> | undefined;

/** A Kemendagri province code (dots optional) that exists; returns it. */
export function checkProvince(code: string): string {
  const dotted = tryNormalizeRegionCode(code);
  if (dotted === null || regionLevel(dotted) !== 'PROVINCE') {
    throw ruleViolation('province_code_format', `"${code}" is not a province code; write the two-digit Kemendagri code, e.g. "35" for Jawa Timur.`);
  }
  provinces ??= new Set(loadRegions().provinces.map((p) => p.code));
  if (!provinces.has(dotted)) throw ruleViolation('unknown_province', `No province has code ${dotted} in the Kemendagri list; check the code.`);
  return dotted;
}

/** A target or baseline in the indicator's unit, in hundredths. */
export function parseQuantity(text: string, indicator: Indicator, field: 'target' | 'baseline'): bigint {
  const unit = INDICATORS[indicator].unit;
  const value = parseHundredths(text);
  if (value === null || (WHOLE_UNITS.has(unit) && value % 100n !== 0n)) {
    const expected = WHOLE_UNITS.has(unit)
      ? `a whole number of ${unit.toLowerCase()} written as a string, e.g. "120"`
      : 'kWp written as a string with up to two decimals, e.g. "500" or "512.5"';
    throw ruleViolation(`${field}_format`, `${field} "${text}" is not valid for ${indicator}; expected ${expected}.`);
  }
  return value;
}

export function checkTarget(target: bigint, baseline: bigint): void {
  if (target <= 0n) throw ruleViolation('target_positive', 'target must be more than 0.');
  if (target <= baseline) {
    throw ruleViolation(
      'target_above_baseline',
      `target ${formatHundredths(target)} must be above the baseline ${formatHundredths(baseline)}: a commitment is to move the indicator.`,
    );
  }
}

export function checkDueAfterStart(startDate: Date, dueDate: Date): void {
  if (dueDate <= startDate) {
    throw ruleViolation('due_after_start', `dueDate ${dueDate.toISOString().slice(0, 10)} must be after startDate ${startDate.toISOString().slice(0, 10)}.`);
  }
}

export function checkReason(reason: string): string {
  const text = reason.trim();
  if (text.length < 10) throw ruleViolation('reason_required', 'reason must say why the target changes, in at least 10 characters.');
  return text;
}
