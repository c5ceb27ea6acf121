import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { checkNotBefore, checkNotNegative, checkPositive, idempotentWrite, notFound, pastDate, rp, ruleViolation, type SubgraphContext } from '@kopdes/kit';
import { villageKind } from '@kopdes/kit/synthetic';
import type { FinancingDb, Tx } from '../db';
import type { FinancingLoaders } from '../loaders';
import { knownProfile } from '../cooperative/cooperative-financing.rules';
import {
  ApplyForLoanInput,
  ApproveLoanInput,
  RecordDanaDesaInterceptInput,
  RecordDisbursementInput,
  RecordRepaymentInput,
  RejectLoanInput,
} from './loan.input';
import { checkLoanTerms, checkTransition, interceptCap, INTERCEPT_CAP_PERCENT, OPEN_STATUSES, SERVICING_STATUSES } from './loan.rules';
import { Loan, LoanScheme, LoanStatus } from './loan.type';

type Context = SubgraphContext<FinancingDb, FinancingLoaders>;

const IDEMPOTENCY = { description: 'Any unique string (a UUID works); retrying with the same key applies the write once.' };

async function existingLoan(tx: Tx, id: string) {
  const loan = await tx.loan.findUnique({ where: { id } });
  if (!loan) throw notFound(`No loan has id ${id}.`);
  return loan;
}

/** The loan, locked until the transaction ends so concurrent writes to it apply one after another. */
async function lockedLoan(tx: Tx, id: string) {
  await tx.$queryRawUnsafe('SELECT 1 FROM "Loan" WHERE id = $1 FOR UPDATE', id);
  return existingLoan(tx, id);
}

async function firstDisbursement(tx: Tx, loanId: string): Promise<Date | undefined> {
  return (await tx.loanDisbursement.findFirst({ where: { loanId }, orderBy: { date: 'asc' }, select: { date: true } }))?.date;
}

/** Ids read like the seeded ones: "PMK49-BRI-3514012001-1", "LPDB-3514092019-1". */
async function nextLoanId(tx: Tx, scheme: LoanScheme, lender: string, villageCode: string): Promise<string> {
  const prefix = `${scheme === LoanScheme.LPDB ? 'LPDB' : `PMK49-${lender}`}-${villageCode.replace(/\./g, '')}`;
  for (let n = (await tx.loan.count({ where: { villageCode } })) + 1; ; n++) {
    if (!(await tx.loan.findUnique({ where: { id: `${prefix}-${n}` }, select: { id: true } }))) return `${prefix}-${n}`;
  }
}

/** Status once money has been paid out: arrears first, then settled or repaying. */
function servicingStatus(outstanding: bigint, arrears: bigint): LoanStatus {
  if (arrears > 0n) return LoanStatus.ARREARS;
  return outstanding === 0n ? LoanStatus.SETTLED : LoanStatus.REPAYING;
}

/** The loan an intercept is for: named, or the cooperative's one loan in arrears. */
async function interceptLoanId(tx: Tx, input: RecordDanaDesaInterceptInput): Promise<string> {
  const loanId = input.loanId?.trim();
  const cooperativeId = input.cooperativeId?.trim();
  if (loanId) return loanId;
  if (!cooperativeId) throw ruleViolation('loan_or_cooperative', 'Name the loan (loanId) or the cooperative (cooperativeId) the intercept covers.');
  // Not locked here: writes lock a loan before its village's profiles, and this one locks the loan next.
  const profile = await knownProfile(tx, cooperativeId, { lock: false });
  checkDesa(profile.villageCode, cooperativeId);
  const inArrears = await tx.loan.findMany({ where: { cooperativeId, status: LoanStatus.ARREARS }, select: { id: true }, orderBy: { id: 'asc' } });
  if (inArrears.length === 0)
    throw ruleViolation('intercept_needs_arrears', `Cooperative ${cooperativeId} has no loan in ARREARS; Dana Desa only covers a default.`);
  if (inArrears.length > 1) {
    throw ruleViolation(
      'loan_or_cooperative',
      `Cooperative ${cooperativeId} has ${inArrears.length} loans in arrears (${inArrears.map((l) => l.id).join(', ')}); name one with loanId.`,
    );
  }
  return inArrears[0]!.id;
}

function checkDesa(villageCode: string, cooperativeId: string): void {
  if (villageKind(villageCode) === 'KELURAHAN') {
    throw ruleViolation(
      'intercept_not_for_kkmp',
      `Cooperative ${cooperativeId} is in kelurahan ${villageCode}, which has no Dana Desa: a KKMP's default is covered from DAU/DBH.`,
    );
  }
}

/** Himbara / LPDB loan records: validated, idempotent, audited, all-or-nothing. */
@Resolver(() => Loan)
export class LoanMutationResolver {
  @Mutation(() => Loan, { description: 'Records a loan application (status APPLIED) under PMK 49/2025 (Himbara) or from LPDB.' })
  applyForLoan(
    @Arg('input', () => ApplyForLoanInput) input: ApplyForLoanInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Loan> {
    return idempotentWrite(
      context,
      { operation: 'applyForLoan', entity: 'Loan', idempotencyKey, input },
      async (tx) => {
        checkLoanTerms(input);
        const appliedOn = pastDate(input.appliedOn, 'appliedOn');
        const profile = await knownProfile(tx, input.cooperativeId.trim());
        if (input.scheme === LoanScheme.HIMBARA_PMK49) {
          const open = await tx.loan.findFirst({ where: { cooperativeId: profile.cooperativeId, scheme: input.scheme, status: { in: [...OPEN_STATUSES] } } });
          if (open) {
            throw ruleViolation(
              'one_open_himbara_loan',
              `Cooperative ${profile.cooperativeId} already has Himbara loan ${open.id} (${open.status}); a new one can follow once it is rejected or settled.`,
            );
          }
        }
        const id = await nextLoanId(tx, input.scheme, input.lender, profile.villageCode);
        const after = await tx.loan.create({
          data: {
            id,
            cooperativeId: profile.cooperativeId,
            villageCode: profile.villageCode,
            districtCode: profile.districtCode,
            regencyCode: profile.regencyCode,
            provinceCode: profile.provinceCode,
            scheme: input.scheme,
            lender: input.lender,
            plafond: input.plafond,
            operatingPart: input.operatingPart,
            contractRate: input.contractRate,
            effectiveRate: input.effectiveRate,
            tenorMonths: input.tenorMonths,
            graceMonths: input.graceMonths,
            status: LoanStatus.APPLIED,
            appliedOn,
            updatedAt: new Date(),
          },
        });
        return { entityId: id, before: null, after };
      },
      existingLoan,
    ) as Promise<Loan>;
  }

  @Mutation(() => Loan, { description: 'Approves an application (APPLIED → APPROVED) once the business proposal and village head approval are on file.' })
  approveLoan(
    @Arg('input', () => ApproveLoanInput) input: ApproveLoanInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Loan> {
    return idempotentWrite(
      context,
      { operation: 'approveLoan', entity: 'Loan', idempotencyKey, input },
      async (tx) => {
        const before = await lockedLoan(tx, input.loanId.trim());
        checkTransition(before, [LoanStatus.APPLIED], 'approval');
        const approvedOn = pastDate(input.approvedOn, 'approvedOn');
        checkNotBefore(approvedOn, 'approvedOn', before.appliedOn, 'the application');
        const profile = await tx.financingProfile.findUnique({ where: { cooperativeId: before.cooperativeId } });
        const missing = [!profile?.businessProposal && 'a business proposal', !profile?.villageHeadApproval && "the village head's approval"].filter(Boolean);
        if (missing.length > 0) {
          throw ruleViolation(
            'preconditions_met',
            `Cooperative ${before.cooperativeId} lacks ${missing.join(' and ')}; record them with setFinancingPreconditions before approving.`,
          );
        }
        const after = await tx.loan.update({ where: { id: before.id }, data: { status: LoanStatus.APPROVED, approvedOn, updatedAt: new Date() } });
        return { entityId: before.id, before, after };
      },
      existingLoan,
    ) as Promise<Loan>;
  }

  @Mutation(() => Loan, { description: 'Declines an application (APPLIED → REJECTED).' })
  rejectLoan(
    @Arg('input', () => RejectLoanInput) input: RejectLoanInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Loan> {
    return idempotentWrite(
      context,
      { operation: 'rejectLoan', entity: 'Loan', idempotencyKey, input },
      async (tx) => {
        const before = await lockedLoan(tx, input.loanId.trim());
        checkTransition(before, [LoanStatus.APPLIED], 'rejection');
        const after = await tx.loan.update({ where: { id: before.id }, data: { status: LoanStatus.REJECTED, updatedAt: new Date() } });
        return { entityId: before.id, before, after: { ...after, reason: input.reason?.trim() || null } };
      },
      existingLoan,
    ) as Promise<Loan>;
  }

  @Mutation(() => Loan, { description: 'Records a tranche paid out; the first one moves an APPROVED loan to DISBURSED.' })
  recordDisbursement(
    @Arg('input', () => RecordDisbursementInput) input: RecordDisbursementInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Loan> {
    return idempotentWrite(
      context,
      { operation: 'recordDisbursement', entity: 'Loan', idempotencyKey, input },
      async (tx) => {
        const before = await lockedLoan(tx, input.loanId.trim());
        checkTransition(before, [LoanStatus.APPROVED, ...SERVICING_STATUSES], 'a disbursement');
        checkPositive(input.amount, 'amount');
        const date = pastDate(input.date, 'date');
        checkNotBefore(date, 'date', before.approvedOn, 'the approval');
        if (before.disbursedAmount + input.amount > before.plafond) {
          throw ruleViolation(
            'disbursed_within_plafond',
            `Loan ${before.id} has ${rp(before.disbursedAmount)} of its ${rp(before.plafond)} plafond disbursed; at most ${rp(before.plafond - before.disbursedAmount)} more can be paid out.`,
          );
        }
        const disbursement = await tx.loanDisbursement.create({ data: { loanId: before.id, date, amount: input.amount } });
        const after = await tx.loan.update({
          where: { id: before.id },
          data: {
            disbursedAmount: before.disbursedAmount + input.amount,
            outstanding: before.outstanding + input.amount,
            status: before.status === LoanStatus.APPROVED ? LoanStatus.DISBURSED : before.status,
            updatedAt: new Date(),
          },
        });
        return { entityId: before.id, before, after: { ...after, disbursement } };
      },
      existingLoan,
    ) as Promise<Loan>;
  }

  @Mutation(() => Loan, { description: 'Records an instalment: principal reduces what is outstanding, the whole amount what is in arrears.' })
  recordRepayment(
    @Arg('input', () => RecordRepaymentInput) input: RecordRepaymentInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Loan> {
    return idempotentWrite(
      context,
      { operation: 'recordRepayment', entity: 'Loan', idempotencyKey, input },
      async (tx) => {
        const before = await lockedLoan(tx, input.loanId.trim());
        checkTransition(before, SERVICING_STATUSES, 'a repayment');
        checkPositive(input.amount, 'amount');
        checkNotNegative(input.principal, 'principal');
        checkNotNegative(input.interest, 'interest');
        if (input.principal + input.interest !== input.amount) {
          throw ruleViolation('repayment_parts', `amount ${rp(input.amount)} must equal principal ${rp(input.principal)} plus interest ${rp(input.interest)}.`);
        }
        const date = pastDate(input.date, 'date');
        checkNotBefore(date, 'date', await firstDisbursement(tx, before.id), 'the first disbursement');
        if (input.principal > before.outstanding) {
          throw ruleViolation(
            'repayment_within_outstanding',
            `principal ${rp(input.principal)} exceeds the ${rp(before.outstanding)} outstanding on loan ${before.id}.`,
          );
        }
        const repayment = await tx.loanRepayment.create({
          data: { loanId: before.id, date, amount: input.amount, principal: input.principal, interest: input.interest },
        });
        const outstanding = before.outstanding - input.principal;
        const arrears = before.arrearsAmount > input.amount ? before.arrearsAmount - input.amount : 0n;
        const after = await tx.loan.update({
          where: { id: before.id },
          data: {
            outstanding,
            arrearsAmount: arrears,
            daysInArrears: arrears > 0n ? before.daysInArrears : 0,
            status: servicingStatus(outstanding, arrears),
            updatedAt: new Date(),
          },
        });
        return { entityId: before.id, before, after: { ...after, repayment } };
      },
      existingLoan,
    ) as Promise<Loan>;
  }

  @Mutation(() => Loan, {
    description: `Records Dana Desa withheld to cover a loan in ARREARS (Permendes 10/2025): desa cooperatives only, at most the arrears, and the village's intercepts in the budget year at most ${INTERCEPT_CAP_PERCENT}% of its Dana Desa ceiling.`,
  })
  recordDanaDesaIntercept(
    @Arg('input', () => RecordDanaDesaInterceptInput) input: RecordDanaDesaInterceptInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Loan> {
    return idempotentWrite(
      context,
      { operation: 'recordDanaDesaIntercept', entity: 'Loan', idempotencyKey, input },
      async (tx) => {
        const before = await lockedLoan(tx, await interceptLoanId(tx, input));
        const cooperativeId = input.cooperativeId?.trim();
        if (cooperativeId && cooperativeId !== before.cooperativeId) {
          throw ruleViolation('loan_or_cooperative', `Loan ${before.id} belongs to cooperative ${before.cooperativeId}, not ${cooperativeId}.`);
        }
        checkDesa(before.villageCode, before.cooperativeId);
        if (before.status !== LoanStatus.ARREARS) {
          throw ruleViolation('intercept_needs_arrears', `Loan ${before.id} is ${before.status}; Dana Desa only covers a loan in ARREARS.`);
        }
        checkPositive(input.amount, 'amount');
        const date = pastDate(input.date, 'date');
        checkNotBefore(date, 'date', await firstDisbursement(tx, before.id), 'the first disbursement');
        // The cap is the village's: lock its cooperatives so two intercepts cannot both fit under it.
        await tx.$queryRawUnsafe('SELECT 1 FROM "FinancingProfile" WHERE "villageCode" = $1 ORDER BY "cooperativeId" FOR UPDATE', before.villageCode);
        const budgetYear = date.getUTCFullYear();
        const ceiling = (await tx.danaDesaCeiling.findUnique({ where: { villageCode_budgetYear: { villageCode: before.villageCode, budgetYear } } }))?.ceiling;
        if (ceiling === undefined) {
          const years = (
            await tx.danaDesaCeiling.findMany({ where: { villageCode: before.villageCode }, select: { budgetYear: true }, orderBy: { budgetYear: 'asc' } })
          ).map((c) => c.budgetYear);
          throw ruleViolation(
            'dana_desa_ceiling_unknown',
            `No Dana Desa ceiling is published for village ${before.villageCode} in ${budgetYear}, so the cap cannot be checked; ceilings on file: ${years.join(', ') || 'none'}.`,
          );
        }
        const capAmount = interceptCap(ceiling);
        const used =
          (await tx.danaDesaIntercept.aggregate({ where: { villageCode: before.villageCode, budgetYear }, _sum: { amount: true } }))._sum.amount ?? 0n;
        if (used + input.amount > capAmount) {
          throw ruleViolation(
            'intercept_cap',
            `Village ${before.villageCode} may have at most ${rp(capAmount)} (${INTERCEPT_CAP_PERCENT}% of its ${budgetYear} Dana Desa of ${rp(ceiling)}) intercepted; ${rp(used)} already is, so at most ${rp(capAmount - used)} more.`,
          );
        }
        if (input.amount > before.arrearsAmount) {
          throw ruleViolation(
            'intercept_within_arrears',
            `amount ${rp(input.amount)} exceeds the ${rp(before.arrearsAmount)} in arrears on loan ${before.id}.`,
          );
        }
        const intercept = await tx.danaDesaIntercept.create({
          data: {
            loanId: before.id,
            cooperativeId: before.cooperativeId,
            villageCode: before.villageCode,
            date,
            amount: input.amount,
            budgetYear,
            danaDesaCeiling: ceiling,
            capAmount,
          },
        });
        const arrears = before.arrearsAmount - input.amount;
        const after = await tx.loan.update({
          where: { id: before.id },
          data: {
            arrearsAmount: arrears,
            interceptedAmount: before.interceptedAmount + input.amount,
            daysInArrears: arrears > 0n ? before.daysInArrears : 0,
            status: servicingStatus(before.outstanding, arrears),
            updatedAt: new Date(),
          },
        });
        return { entityId: before.id, before, after: { ...after, intercept } };
      },
      existingLoan,
    ) as Promise<Loan>;
  }
}
