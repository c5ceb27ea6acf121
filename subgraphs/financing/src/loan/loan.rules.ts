import { checkNotNegative, checkPositive, rp, ruleViolation } from '@kopdes/kit';
import { LoanLender, LoanScheme, LoanStatus } from '../generated/prisma/enums';

/**
 * Financing rules (PMK 49/2025 for Himbara, LPDB pilot terms, Permendes 10/2025 for Dana Desa
 * intercepts): each broken rule is a BAD_USER_INPUT error whose `rule` names it and whose
 * message says how to comply. Money is whole rupiah in bigint throughout.
 */
export const LOAN_LIMITS = {
  [LoanScheme.HIMBARA_PMK49]: { maxPlafond: 3_000_000_000n, maxOperatingPart: 500_000_000n, maxTenorMonths: 72, graceMonths: [6, 8], contractRate: 6 },
  [LoanScheme.LPDB]: { maxPlafond: 3_000_000_000n, maxOperatingPart: 500_000_000n, maxTenorMonths: 120, graceMonths: null, contractRate: null },
} as const satisfies Record<LoanScheme, unknown>;

export const SCHEME_LENDERS: Record<LoanScheme, readonly LoanLender[]> = {
  [LoanScheme.HIMBARA_PMK49]: [LoanLender.BRI, LoanLender.BNI, LoanLender.MANDIRI, LoanLender.BSI, LoanLender.BTN],
  [LoanScheme.LPDB]: [LoanLender.LPDB],
};

/** Statuses of a loan not yet closed: a cooperative holds at most one such Himbara loan. */
export const OPEN_STATUSES: readonly LoanStatus[] = [LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.DISBURSED, LoanStatus.REPAYING, LoanStatus.ARREARS];
/** Statuses in which money has been paid out and instalments are being collected. */
export const SERVICING_STATUSES: readonly LoanStatus[] = [LoanStatus.DISBURSED, LoanStatus.REPAYING, LoanStatus.ARREARS];

/** Permendes 10/2025: Dana Desa withheld in a budget year is capped at 30% of the village's ceiling. */
export const INTERCEPT_CAP_PERCENT = 30n;

export function interceptCap(danaDesaCeiling: bigint): bigint {
  return (danaDesaCeiling * INTERCEPT_CAP_PERCENT) / 100n;
}

export interface LoanTerms {
  scheme: LoanScheme;
  lender: LoanLender;
  plafond: bigint;
  operatingPart: bigint;
  contractRate: number;
  effectiveRate: number;
  tenorMonths: number;
  graceMonths: number;
}

/** Everything about an application's terms that does not need the database. */
export function checkLoanTerms(t: LoanTerms): void {
  const limits = LOAN_LIMITS[t.scheme];
  if (!SCHEME_LENDERS[t.scheme].includes(t.lender)) {
    throw ruleViolation('lender_matches_scheme', `A ${t.scheme} loan is lent by ${SCHEME_LENDERS[t.scheme].join(', ')}, not ${t.lender}.`);
  }
  checkPositive(t.plafond, 'plafond');
  if (t.plafond > limits.maxPlafond) {
    throw ruleViolation('plafond_max', `plafond ${rp(t.plafond)} exceeds the ${t.scheme} limit of ${rp(limits.maxPlafond)} per cooperative.`);
  }
  checkNotNegative(t.operatingPart, 'operatingPart');
  if (t.operatingPart > limits.maxOperatingPart) {
    throw ruleViolation('operating_part_max', `operatingPart ${rp(t.operatingPart)} exceeds the ${rp(limits.maxOperatingPart)} allowed for operating costs.`);
  }
  if (t.operatingPart > t.plafond) {
    throw ruleViolation(
      'operating_part_within_plafond',
      `operatingPart ${rp(t.operatingPart)} is part of the plafond and cannot exceed it (${rp(t.plafond)}).`,
    );
  }
  if (!Number.isInteger(t.tenorMonths) || t.tenorMonths <= 0) {
    throw ruleViolation('tenor_positive', `tenorMonths must be a whole number of months above 0; got ${t.tenorMonths}.`);
  }
  if (t.tenorMonths > limits.maxTenorMonths) {
    throw ruleViolation('tenor_max', `tenorMonths ${t.tenorMonths} exceeds the ${t.scheme} maximum of ${limits.maxTenorMonths} months.`);
  }
  if (limits.graceMonths && (t.graceMonths < limits.graceMonths[0] || t.graceMonths > limits.graceMonths[1])) {
    throw ruleViolation(
      'grace_period',
      `A ${t.scheme} loan has a grace period of ${limits.graceMonths[0]}–${limits.graceMonths[1]} months; got ${t.graceMonths}.`,
    );
  }
  if (!Number.isInteger(t.graceMonths) || t.graceMonths < 0 || t.graceMonths >= t.tenorMonths) {
    throw ruleViolation('grace_within_tenor', `graceMonths must be a whole number from 0 to tenorMonths - 1 (${t.tenorMonths - 1}); got ${t.graceMonths}.`);
  }
  for (const [field, rate] of [
    ['contractRate', t.contractRate],
    ['effectiveRate', t.effectiveRate],
  ] as const) {
    if (!Number.isFinite(rate) || rate < 0 || rate > 100) throw ruleViolation('rate_range', `${field} is a percentage a year from 0 to 100; got ${rate}.`);
  }
  if (limits.contractRate !== null && t.contractRate !== limits.contractRate) {
    throw ruleViolation(
      'himbara_contract_rate',
      `The ${t.scheme} contract rate is ${limits.contractRate}% a year; got ${t.contractRate}. Put a subsidised rate in effectiveRate.`,
    );
  }
  if (t.effectiveRate > t.contractRate) {
    throw ruleViolation(
      'effective_rate_within_contract',
      `effectiveRate ${t.effectiveRate}% is what the cooperative bears after subsidy; it cannot exceed contractRate ${t.contractRate}%.`,
    );
  }
}

/** `action` is allowed only from `from`; the message names the loan's current status. */
export function checkTransition(loan: { id: string; status: LoanStatus }, from: readonly LoanStatus[], action: string): void {
  if (!from.includes(loan.status)) {
    throw ruleViolation('status_transition', `Loan ${loan.id} is ${loan.status}; ${action} needs a loan that is ${from.join(' or ')}.`);
  }
}
