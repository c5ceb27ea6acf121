import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { checkNotInFuture, IDEMPOTENCY_KEY, idempotentWrite, parseDate, ruleViolation, type SubgraphContext } from '@kopdes/kit';
import { type LabourDb, type Tx } from '../db';
import type { LabourLoaders } from '../loaders';
import { RecordHiresInput, RecordTrainingInput, SetWorkforceInput } from './cooperative-labour.input';
import { checkEmployees, checkHireCount, checkProgramme } from './cooperative-labour.rules';
import { Cooperative, PersonRole } from './cooperative-labour.type';

type Context = SubgraphContext<LabourDb, LabourLoaders>;

/** Kemnaker only knows the cooperatives the registry has synchronised to it (each has a workforce record). */
async function workforceOf(tx: Tx, cooperativeId: string) {
  const workforce = await tx.workforce.findUnique({ where: { cooperativeId } });
  if (!workforce)
    throw ruleViolation('unknown_cooperative', `Kemnaker has no record of cooperative ${cooperativeId}; check the registry id (e.g. "KDMP-35.14.01.2001").`);
  return workforce;
}

const figures = ({
  employees,
  trainedBoardMembers,
  certifiedStaff,
  updatedAt,
}: {
  employees: number;
  trainedBoardMembers: number;
  certifiedStaff: number;
  updatedAt: Date;
}) => ({ employees, trainedBoardMembers, certifiedStaff, updatedAt });

/** Kemnaker's workforce writes: validated, idempotent, audited, all-or-nothing. Read the result back as labour. */
@Resolver(() => Cooperative)
export class CooperativeLabourMutationResolver {
  @Mutation(() => Cooperative, { description: 'Records people who started work at a cooperative on one day; they are added to its employees.' })
  recordHires(
    @Arg('input', () => RecordHiresInput) input: RecordHiresInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Cooperative> {
    return idempotentWrite(
      context,
      { operation: 'recordHires', entity: 'Workforce', idempotencyKey, input },
      async (tx) => {
        const before = await workforceOf(tx, input.cooperativeId);
        const hiredOn = parseDate(input.hiredOn, 'hiredOn');
        checkNotInFuture(hiredOn, 'hiredOn');
        checkHireCount(input.count);
        checkEmployees(before.employees + input.count, ` (${before.employees} employed + ${input.count} hired)`);
        const hire = await tx.hire.create({ data: { cooperativeId: before.cooperativeId, hiredOn, count: input.count } });
        // An increment, not a computed total: concurrent writes to the same cooperative cannot lose a hire.
        const after = await tx.workforce.update({
          where: { cooperativeId: before.cooperativeId },
          data: { employees: { increment: input.count }, updatedAt: new Date() },
        });
        checkEmployees(after.employees, ` (${after.employees - input.count} employed + ${input.count} hired)`);
        return { entityId: before.cooperativeId, before: figures(before), after: { ...figures(after), hire: { hiredOn, count: hire.count } } };
      },
      async (_tx, id) => ({ id }),
    ) as Promise<Cooperative>;
  }

  @Mutation(() => Cooperative, {
    description: "Records one person's training; a board member's counts towards trainedBoardMembers, a certified staff member's towards certifiedStaff.",
  })
  recordTraining(
    @Arg('input', () => RecordTrainingInput) input: RecordTrainingInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Cooperative> {
    return idempotentWrite(
      context,
      { operation: 'recordTraining', entity: 'Workforce', idempotencyKey, input },
      async (tx) => {
        const before = await workforceOf(tx, input.cooperativeId);
        const programme = checkProgramme(input.programme);
        const trainedOn = parseDate(input.trainedOn, 'trainedOn');
        checkNotInFuture(trainedOn, 'trainedOn');
        const training = await tx.training.create({
          data: { cooperativeId: before.cooperativeId, role: input.role, programme, provider: input.provider, trainedOn, certified: input.certified },
        });
        const after = await tx.workforce.update({
          where: { cooperativeId: before.cooperativeId },
          data: {
            trainedBoardMembers: { increment: input.role === PersonRole.BOARD ? 1 : 0 },
            certifiedStaff: { increment: input.role === PersonRole.STAFF && input.certified ? 1 : 0 },
            updatedAt: new Date(),
          },
        });
        const { id: _id, cooperativeId: _c, ...record } = training;
        return { entityId: before.cooperativeId, before: figures(before), after: { ...figures(after), training: record } };
      },
      async (_tx, id) => ({ id }),
    ) as Promise<Cooperative>;
  }

  @Mutation(() => Cooperative, { description: 'Reports how many people a cooperative employs now (0 to 1,000), replacing the previous figure.' })
  setWorkforce(
    @Arg('input', () => SetWorkforceInput) input: SetWorkforceInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Cooperative> {
    return idempotentWrite(
      context,
      { operation: 'setWorkforce', entity: 'Workforce', idempotencyKey, input },
      async (tx) => {
        const before = await workforceOf(tx, input.cooperativeId);
        checkEmployees(input.employees);
        const after = await tx.workforce.update({
          where: { cooperativeId: before.cooperativeId },
          data: { employees: input.employees, updatedAt: new Date() },
        });
        return { entityId: before.cooperativeId, before: figures(before), after: figures(after) };
      },
      async (_tx, id) => ({ id }),
    ) as Promise<Cooperative>;
  }
}
