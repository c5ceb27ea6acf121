import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { IDEMPOTENCY_KEY, idempotentWrite, notFound, parseDate, ruleViolation } from '@kopdes/kit';
import type { Context } from '../loaders';
import { CreateCommitmentInput, UpdateCommitmentTargetInput } from './commitment.input';
import { checkAgency, checkAgencyOwnsIndicator, checkDueAfterStart, checkProvince, checkReason, checkTarget, parseQuantity } from './commitment.rules';
import { Commitment, toCommitment } from './commitment.type';
import { decimalHundredths, formatHundredths } from './quantity';
import type { Tx } from '../db';

async function existing(tx: Tx, id: string) {
  const commitment = await tx.commitment.findUnique({ where: { id } });
  if (!commitment) throw notFound(`No commitment has id ${id}.`);
  return commitment;
}

const load = async (tx: Tx, id: string) => toCommitment(await existing(tx, id));

/** The Task Force secretariat's commitment writes: validated, idempotent, audited, all-or-nothing. */
@Resolver(() => Commitment)
export class CommitmentMutationResolver {
  @Mutation(() => Commitment, { description: "Records an agency's commitment for a province. Task Force secretariat (collaboration officers) and admins." })
  createCommitment(
    @Arg('input', () => CreateCommitmentInput) input: CreateCommitmentInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Commitment> {
    return idempotentWrite(
      context,
      { operation: 'createCommitment', entity: 'Commitment', idempotencyKey, input },
      async (tx) => {
        const code = input.agency.trim().toUpperCase();
        const agency = checkAgency(await tx.agency.findUnique({ where: { code } }), input.agency);
        checkAgencyOwnsIndicator(agency, input.indicator);
        const province = checkProvince(input.province);
        const target = parseQuantity(input.target, input.indicator, 'target');
        const baseline = input.baseline == null ? 0n : parseQuantity(input.baseline, input.indicator, 'baseline');
        checkTarget(target, baseline);
        const startDate = parseDate(input.startDate, 'startDate');
        const dueDate = parseDate(input.dueDate, 'dueDate');
        checkDueAfterStart(startDate, dueDate);
        // Ids are agency-province-sequence; the sequence continues after the highest one taken.
        const taken = await tx.commitment.findMany({ where: { agencyCode: agency.code, provinceCode: province }, select: { id: true } });
        const next = 1 + Math.max(0, ...taken.map((c) => Number(c.id.split('-').at(-1)) || 0));
        const created = await tx.commitment.create({
          data: {
            id: `${agency.code}-${province}-${next}`,
            agencyCode: agency.code,
            provinceCode: province,
            indicator: input.indicator,
            target: formatHundredths(target),
            baseline: formatHundredths(baseline),
            startDate,
            dueDate,
          },
        });
        return { entityId: created.id, before: null, after: toCommitment(created) };
      },
      load,
    );
  }

  @Mutation(() => Commitment, { description: "Changes a commitment's target, recording the reason as a revision. Task Force secretariat and admins." })
  updateCommitmentTarget(
    @Arg('input', () => UpdateCommitmentTargetInput) input: UpdateCommitmentTargetInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Commitment> {
    return idempotentWrite(
      context,
      { operation: 'updateCommitmentTarget', entity: 'Commitment', idempotencyKey, input },
      async (tx) => {
        const before = await existing(tx, input.commitmentId.trim());
        const target = parseQuantity(input.target, before.indicator, 'target');
        checkTarget(target, decimalHundredths(before.baseline));
        const previous = decimalHundredths(before.target);
        if (target === previous)
          throw ruleViolation('target_unchanged', `The target is already ${formatHundredths(previous)}; send a different target or nothing.`);
        const reason = checkReason(input.reason);
        await tx.commitmentRevision.create({
          data: {
            commitmentId: before.id,
            previousTarget: formatHundredths(previous),
            target: formatHundredths(target),
            reason,
            revisedBy: context.caller.subject,
          },
        });
        const after = await tx.commitment.update({ where: { id: before.id }, data: { target: formatHundredths(target), updatedAt: new Date() } });
        return { entityId: before.id, before: toCommitment(before), after: { ...toCommitment(after), reason } };
      },
      load,
    );
  }
}
