import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { idempotentWrite, ruleViolation, type SubgraphContext } from '@kopdes/kit';
import type { FinancingDb } from '../db';
import type { FinancingLoaders } from '../loaders';
import { LoanStatus } from '../loan/loan.type';
import { FINANCING_SOURCE } from '../source';
import { SetFinancingPreconditionsInput } from './cooperative-financing.input';
import { knownProfile } from './cooperative-financing.rules';
import { CooperativeFinancing } from './cooperative-financing.type';

type Context = SubgraphContext<FinancingDb, FinancingLoaders>;

const IDEMPOTENCY = { description: 'Any unique string (a UUID works); retrying with the same key applies the write once.' };
/** An approved loan that is still open was granted on the preconditions on file. */
const APPROVED_OPEN = [LoanStatus.APPROVED, LoanStatus.DISBURSED, LoanStatus.REPAYING, LoanStatus.ARREARS];

/** The bank-side register of cooperatives: validated, idempotent, audited. */
@Resolver(() => CooperativeFinancing)
export class CooperativeFinancingMutationResolver {
  @Mutation(() => CooperativeFinancing, { description: "Records whether the bank has the business proposal and the village head's approval on file." })
  setFinancingPreconditions(
    @Arg('input', () => SetFinancingPreconditionsInput) input: SetFinancingPreconditionsInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Pick<CooperativeFinancing, 'cooperativeId' | 'source'>> {
    const financing = (cooperativeId: string) => Promise.resolve({ cooperativeId, source: FINANCING_SOURCE });
    return idempotentWrite(
      context,
      { operation: 'setFinancingPreconditions', entity: 'FinancingProfile', idempotencyKey, input },
      async (tx) => {
        const profile = await knownProfile(tx, input.cooperativeId.trim());
        if (input.businessProposal == null && input.villageHeadApproval == null) {
          throw ruleViolation('preconditions_required', 'Give businessProposal, villageHeadApproval or both.');
        }
        const before = { businessProposal: profile.businessProposal, villageHeadApproval: profile.villageHeadApproval };
        const next = {
          businessProposal: input.businessProposal ?? before.businessProposal,
          villageHeadApproval: input.villageHeadApproval ?? before.villageHeadApproval,
        };
        if ((before.businessProposal && !next.businessProposal) || (before.villageHeadApproval && !next.villageHeadApproval)) {
          const open = await tx.loan.findFirst({ where: { cooperativeId: profile.cooperativeId, status: { in: APPROVED_OPEN } }, orderBy: { id: 'asc' } });
          if (open) {
            throw ruleViolation(
              'preconditions_of_open_loan',
              `Loan ${open.id} (${open.status}) was approved on these preconditions; they stay on file while it is open.`,
            );
          }
        }
        const after = await tx.financingProfile.update({ where: { cooperativeId: profile.cooperativeId }, data: { ...next, updatedAt: new Date() } });
        return { entityId: profile.cooperativeId, before, after: { businessProposal: after.businessProposal, villageHeadApproval: after.villageHeadApproval } };
      },
      (_tx, id) => financing(id),
    );
  }
}
