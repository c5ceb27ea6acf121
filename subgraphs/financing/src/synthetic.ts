import { randomFor, syntheticDanaDesaCeiling, type Random, type SyntheticCooperative, type VillageRow } from '@kopdes/kit/synthetic';
import { interceptCap } from './loan/loan.rules';

/**
 * The SYNTHETIC financing slice: bank-side preconditions for every cooperative and loans for
 * some, derived only from the registry's synthetic cooperative, so it agrees with the registry
 * on ids and stages. Shaped by shared/domain.md "Financing"; figures are parameters here.
 */
export const FINANCING_SHAPE = {
  asOf: '2025-11-28',
  /** PMK 49/2025 limits (Himbara) and the LPDB pilot terms. */
  himbara: { maxPlafond: 3_000_000_000, maxOperatingPart: 500_000_000, maxTenorMonths: 72, contractRate: 6.0, subsidisedRate: 2.0 },
  lpdb: { maxPlafond: 3_000_000_000, maxOperatingPart: 500_000_000, maxTenorMonths: 120, contractRate: 3.0 },
  graceMonths: [6, 8] as const,
  /** Share of OPERATING / SIMKOPDES cooperatives with a Himbara application (~10% overall). */
  himbaraApplicationShare: { OPERATING: 0.135, SIMKOPDES: 0.07 },
  /** Share of operating applicants in the first disbursement on 15 Sept 2025 (~1,000 cooperatives, ~Rp 1 trillion). */
  firstBatchShare: 0.22,
  firstBatchDate: '2025-09-15',
  /** Share of OPERATING cooperatives in the LPDB pilot (~100 nationally), plus reported early recipients. */
  lpdbPilotShare: 0.0031,
  lpdbKnownPilots: ['35.14.09.2019'], // Wonokerto, Kabupaten Pasuruan
  /** Default cover: Dana Desa withheld, capped at 30% of the village's yearly Dana Desa (Permendes 10/2025; see interceptCap). */
  interceptAfterDays: 30,
  interceptChance: 0.65,
} as const;

export type LoanStatus = 'APPLIED' | 'APPROVED' | 'DISBURSED' | 'REPAYING' | 'ARREARS' | 'SETTLED' | 'REJECTED';
export type LoanLender = 'BRI' | 'BNI' | 'MANDIRI' | 'BSI' | 'BTN' | 'LPDB';
export type LoanScheme = 'HIMBARA_PMK49' | 'LPDB';

export interface SyntheticDisbursement {
  date: string;
  amount: number;
}
export interface SyntheticRepayment {
  date: string;
  amount: number;
  principal: number;
  interest: number;
}
export interface SyntheticIntercept {
  date: string;
  amount: number;
  budgetYear: number;
  danaDesaCeiling: number;
  capAmount: number;
}

export interface SyntheticLoan {
  id: string;
  cooperativeId: string;
  villageCode: string;
  scheme: LoanScheme;
  lender: LoanLender;
  plafond: number;
  operatingPart: number;
  contractRate: number;
  effectiveRate: number;
  tenorMonths: number;
  graceMonths: number;
  status: LoanStatus;
  appliedOn: string;
  approvedOn: string | null;
  disbursements: SyntheticDisbursement[];
  repayments: SyntheticRepayment[];
  intercepts: SyntheticIntercept[];
  disbursedAmount: number;
  outstanding: number;
  arrearsAmount: number;
  daysInArrears: number;
  interceptedAmount: number;
}

export interface SyntheticFinancing {
  cooperativeId: string;
  villageCode: string;
  businessProposal: boolean;
  villageHeadApproval: boolean;
  loans: SyntheticLoan[];
}

const DAY = 86_400_000;
const S = FINANCING_SHAPE;
const AS_OF = Date.parse(S.asOf);
const HIMBARA_LENDERS: [LoanLender, number][] = [
  ['BRI', 40],
  ['BNI', 20],
  ['MANDIRI', 20],
  ['BSI', 12],
  ['BTN', 8],
];
const DISBURSED: LoanStatus[] = ['DISBURSED', 'REPAYING', 'ARREARS', 'SETTLED'];

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const day = (date: string) => Date.parse(date);
const between = (rnd: Random, from: string, to: string) => iso(day(from) + rnd.int(0, (day(to) - day(from)) / DAY) * DAY);
const addDays = (date: string, days: number) => iso(day(date) + days * DAY);
function addMonths(date: string, months: number): string {
  const d = new Date(day(date));
  d.setUTCMonth(d.getUTCMonth() + months); // days are kept at 28 or less, so no month overflow
  return iso(d.getTime());
}
const millions = (n: number) => Math.round(n / 1_000_000) * 1_000_000;

export function isDisbursedStatus(status: LoanStatus): boolean {
  return DISBURSED.includes(status);
}

type Behaviour = 'ON_TIME' | 'ARREARS' | 'SETTLED';

/**
 * Walks the monthly schedule up to asOf: interest on the disbursed principal at the effective
 * rate during the grace period, then equal principal instalments plus interest. Missed
 * instalments become arrears; some are covered by a Dana Desa intercept after 30 days.
 */
function service(loan: SyntheticLoan, rnd: Random, behaviour: Behaviour, village: VillageRow): void {
  const first = loan.disbursements[0]!;
  const dues: { date: string; principal: number; interest: number }[] = [];
  const principalPerMonth = (total: number) => Math.ceil(total / (loan.tenorMonths - loan.graceMonths));
  for (let n = 1; n <= loan.tenorMonths; n++) {
    const due = addMonths(first.date, n);
    if (day(due) > AS_OF) break;
    const drawn = loan.disbursements.filter((d) => day(d.date) < day(due)).reduce((s, d) => s + d.amount, 0);
    const principalLeft = drawn - dues.reduce((s, d) => s + d.principal, 0);
    const interest = Math.round((principalLeft * loan.effectiveRate) / 100 / 12);
    const principal = n > loan.graceMonths ? Math.min(principalLeft, principalPerMonth(drawn)) : 0;
    dues.push({ date: due, principal, interest });
  }
  loan.disbursedAmount = loan.disbursements.reduce((s, d) => s + d.amount, 0);
  if (dues.length === 0) {
    loan.status = 'DISBURSED';
    loan.outstanding = loan.disbursedAmount;
    return;
  }
  // Missed instalments: the last k of them.
  const missedFrom = behaviour === 'ARREARS' ? rnd.int(0, dues.length - 1) : dues.length;
  let repaidPrincipal = 0;
  dues.forEach((due, i) => {
    if (i >= missedFrom) return;
    loan.repayments.push({ date: addDays(due.date, rnd.int(0, 3)), amount: due.principal + due.interest, principal: due.principal, interest: due.interest });
    repaidPrincipal += due.principal;
  });
  loan.outstanding = loan.disbursedAmount - repaidPrincipal;
  if (behaviour === 'SETTLED') {
    const payoff = addDays(dues[dues.length - 1]!.date, rnd.int(1, 10));
    if (day(payoff) <= AS_OF) {
      loan.repayments.push({ date: payoff, amount: loan.outstanding, principal: loan.outstanding, interest: 0 });
      loan.outstanding = 0;
      loan.status = 'SETTLED';
      return;
    }
  }
  const missed = dues.slice(missedFrom);
  if (missed.length === 0) {
    loan.status = 'REPAYING';
    return;
  }
  loan.status = 'ARREARS';
  const overdue = missed.reduce((s, d) => s + d.principal + d.interest, 0);
  const oldest = missed[0]!.date;
  const interceptOn = addDays(oldest, S.interceptAfterDays + rnd.int(0, 5));
  const budgetYear = new Date(day(interceptOn)).getUTCFullYear();
  // The ceiling Village.danaDesa publishes; null for a kelurahan, whose default falls on DAU/DBH, not recorded here.
  const ceiling = syntheticDanaDesaCeiling(village, budgetYear);
  if (ceiling !== null && day(interceptOn) <= AS_OF && rnd.chance(S.interceptChance)) {
    const dueByThen = missed.filter((d) => day(d.date) <= day(interceptOn)).reduce((s, d) => s + d.principal + d.interest, 0);
    const danaDesaCeiling = Number(ceiling);
    const capAmount = Number(interceptCap(ceiling));
    // Partial cover: part of what was overdue stays in arrears.
    const amount = Math.min(capAmount, Math.max(1, Math.round(dueByThen * (0.4 + 0.5 * rnd.next()))));
    loan.intercepts.push({ date: interceptOn, amount, budgetYear, danaDesaCeiling, capAmount });
    loan.interceptedAmount = amount;
  }
  loan.arrearsAmount = overdue - loan.interceptedAmount;
  loan.daysInArrears = Math.round((AS_OF - day(oldest)) / DAY);
}

function terms(rnd: Random, scheme: LoanScheme) {
  const limits = scheme === 'LPDB' ? S.lpdb : S.himbara;
  const plafond = Math.min(
    limits.maxPlafond,
    rnd.weighted([
      [1_000_000_000, 2],
      [1_500_000_000, 2],
      [2_000_000_000, 3],
      [2_500_000_000, 3],
      [3_000_000_000, 4],
    ] as const),
  );
  const operatingPart = Math.min(limits.maxOperatingPart, plafond, millions(plafond * (0.08 + 0.1 * rnd.next())));
  const tenorMonths =
    scheme === 'LPDB'
      ? rnd.weighted([
          [60, 2],
          [84, 2],
          [120, 3],
        ] as const)
      : rnd.weighted([
          [36, 1],
          [48, 2],
          [60, 3],
          [72, 4],
        ] as const);
  return { plafond, operatingPart, tenorMonths: Math.min(tenorMonths, limits.maxTenorMonths), graceMonths: rnd.int(S.graceMonths[0], S.graceMonths[1]) };
}

function emptyLoan(id: string, cooperative: SyntheticCooperative, scheme: LoanScheme, lender: LoanLender, rnd: Random, appliedOn: string): SyntheticLoan {
  const subsidised = scheme === 'HIMBARA_PMK49' && rnd.chance(0.85);
  const contractRate = scheme === 'LPDB' ? S.lpdb.contractRate : S.himbara.contractRate;
  return {
    id,
    cooperativeId: cooperative.id,
    villageCode: cooperative.villageCode,
    scheme,
    lender,
    ...terms(rnd, scheme),
    contractRate,
    effectiveRate: subsidised ? S.himbara.subsidisedRate : contractRate,
    status: 'APPLIED',
    appliedOn,
    approvedOn: null,
    disbursements: [],
    repayments: [],
    intercepts: [],
    disbursedAmount: 0,
    outstanding: 0,
    arrearsAmount: 0,
    daysInArrears: 0,
    interceptedAmount: 0,
  };
}

/** Tranches: a first one of 35–55% of the plafond, a second one for some. */
function disburse(loan: SyntheticLoan, rnd: Random, firstOn: string, secondBy: string): void {
  const first = millions(loan.plafond * (0.35 + 0.2 * rnd.next()));
  loan.disbursements.push({ date: firstOn, amount: first });
  const secondOn = addDays(firstOn, rnd.int(30, 60));
  if (day(secondOn) <= day(secondBy) && rnd.chance(0.4)) {
    loan.disbursements.push({ date: secondOn, amount: millions((loan.plafond - first) * (0.3 + 0.4 * rnd.next())) });
  }
}

function loanId(scheme: LoanScheme, lender: LoanLender, villageCode: string, n: number): string {
  return `${scheme === 'LPDB' ? 'LPDB' : `PMK49-${lender}`}-${villageCode.replace(/\./g, '')}-${n}`;
}

export function syntheticFinancing(cooperative: SyntheticCooperative, village: VillageRow): SyntheticFinancing {
  const rnd = randomFor('financing', cooperative.id);
  const eligible = cooperative.stage === 'SIMKOPDES' || cooperative.stage === 'OPERATING';
  const operating = cooperative.stage === 'OPERATING';
  const loans: SyntheticLoan[] = [];

  const lpdb = operating && ((S.lpdbKnownPilots as readonly string[]).includes(cooperative.villageCode) || rnd.chance(S.lpdbPilotShare));
  const himbaraShare = operating ? S.himbaraApplicationShare.OPERATING : S.himbaraApplicationShare.SIMKOPDES;
  if (lpdb) {
    const known = (S.lpdbKnownPilots as readonly string[]).includes(cooperative.villageCode);
    const loan = emptyLoan(loanId('LPDB', 'LPDB', cooperative.villageCode, 1), cooperative, 'LPDB', 'LPDB', rnd, between(rnd, '2025-04-01', '2025-05-31'));
    const stage = known
      ? 'DISBURSED'
      : rnd.weighted([
          ['DISBURSED', 75],
          ['APPROVED', 15],
          ['APPLIED', 10],
        ] as const);
    if (stage !== 'APPLIED') loan.approvedOn = addDays(loan.appliedOn, rnd.int(30, 50));
    if (stage === 'DISBURSED') {
      disburse(loan, rnd, addDays(loan.approvedOn!, rnd.int(14, 40)), S.asOf);
      service(
        loan,
        rnd,
        known
          ? 'ON_TIME'
          : rnd.weighted([
              ['ON_TIME', 90],
              ['ARREARS', 10],
            ] as const),
        village,
      );
    } else loan.status = stage;
    loans.push(loan);
  } else if (eligible && rnd.chance(himbaraShare)) {
    // Aceh's banks operate under sharia law (Qanun LKS): BSI lends there.
    const lender: LoanLender = cooperative.villageCode.startsWith('11.') ? 'BSI' : rnd.weighted(HIMBARA_LENDERS);
    const firstBatch = operating && rnd.chance(S.firstBatchShare);
    const path = firstBatch
      ? 'FIRST_BATCH'
      : rnd.weighted([
          ['LATER_DISBURSED', operating ? 12 : 5],
          ['APPROVED', operating ? 22 : 18],
          ['APPLIED', 54],
          ['REJECTED', 10],
        ] as const);
    const appliedOn = firstBatch ? between(rnd, '2025-07-28', '2025-08-15') : between(rnd, '2025-07-28', '2025-11-20');
    const loan = emptyLoan(loanId('HIMBARA_PMK49', lender, cooperative.villageCode, 1), cooperative, 'HIMBARA_PMK49', lender, rnd, appliedOn);
    const approvedOn = firstBatch ? between(rnd, '2025-08-18', '2025-09-10') : addDays(appliedOn, rnd.int(14, 35));
    if (path === 'FIRST_BATCH') {
      loan.approvedOn = approvedOn;
      disburse(loan, rnd, S.firstBatchDate, S.asOf);
      service(
        loan,
        rnd,
        rnd.weighted([
          ['ON_TIME', 89],
          ['ARREARS', 10],
          ['SETTLED', 1],
        ] as const),
        village,
      );
    } else if (path === 'LATER_DISBURSED' && day(approvedOn) < AS_OF - 7 * DAY) {
      loan.approvedOn = approvedOn;
      const firstOn = addDays(approvedOn, rnd.int(3, 21));
      disburse(loan, rnd, day(firstOn) <= AS_OF ? firstOn : S.asOf, S.asOf);
      service(
        loan,
        rnd,
        rnd.weighted([
          ['ON_TIME', 90],
          ['ARREARS', 10],
        ] as const),
        village,
      );
    } else if ((path === 'APPROVED' || path === 'LATER_DISBURSED') && day(approvedOn) <= AS_OF) {
      loan.approvedOn = approvedOn;
      loan.status = 'APPROVED';
    } else if (path === 'REJECTED') {
      loan.status = 'REJECTED';
    }
    loans.push(loan);
    // Some rejected cooperatives apply again at another bank.
    if (loan.status === 'REJECTED' && rnd.chance(0.25) && day(appliedOn) < AS_OF - 30 * DAY) {
      const other = lender === 'BSI' && cooperative.villageCode.startsWith('11.') ? 'BSI' : rnd.weighted(HIMBARA_LENDERS.filter(([l]) => l !== lender));
      loans.push(
        emptyLoan(loanId('HIMBARA_PMK49', other, cooperative.villageCode, 2), cooperative, 'HIMBARA_PMK49', other, rnd, addDays(appliedOn, rnd.int(21, 30))),
      );
    }
  }

  // Bank-side preconditions: held by every approved borrower, partly by applicants, less often elsewhere.
  const approved = loans.some((l) => l.approvedOn !== null);
  const applied = loans.some((l) => l.status === 'APPLIED');
  const rejected = loans.length > 0 && loans.every((l) => l.status === 'REJECTED');
  let businessProposal: boolean;
  let villageHeadApproval: boolean;
  if (approved) [businessProposal, villageHeadApproval] = [true, true];
  else if (applied) [businessProposal, villageHeadApproval] = [true, rnd.chance(0.85)];
  else if (rejected) [businessProposal, villageHeadApproval] = rnd.chance(0.6) ? [true, false] : [rnd.chance(0.5), true];
  else if (eligible) [businessProposal, villageHeadApproval] = [rnd.chance(operating ? 0.65 : 0.45), rnd.chance(0.7)];
  else [businessProposal, villageHeadApproval] = [rnd.chance(0.15), rnd.chance(0.3)];
  return { cooperativeId: cooperative.id, villageCode: cooperative.villageCode, businessProposal, villageHeadApproval, loans };
}
