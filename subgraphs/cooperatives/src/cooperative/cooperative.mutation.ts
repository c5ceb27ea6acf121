import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { IDEMPOTENCY_KEY, idempotentWrite, notFound, parseDate, ruleViolation, type SubgraphContext } from '@kopdes/kit';
import type { CooperativesDb, Tx } from '../db';
import type { CooperativeLoaders } from './cooperative.loaders';
import { AdvanceStageInput, RegisterCooperativeInput, SetBusinessUnitInput } from './cooperative.input';
import { checkIdentifierFormat, checkStageForward, checkStageIdentifiers, checkUnitForward, checkVillage } from './cooperative.rules';
import { Cooperative } from './cooperative.type';

type Context = SubgraphContext<CooperativesDb, CooperativeLoaders>;

const IDEMPOTENCY = IDEMPOTENCY_KEY;

async function existing(tx: Tx, id: string) {
  const cooperative = await tx.cooperative.findUnique({ where: { id } });
  if (!cooperative) throw notFound(`No cooperative has id ${id}.`);
  return cooperative;
}

/** Kemenkop's registry writes: validated, idempotent, audited, all-or-nothing. */
@Resolver(() => Cooperative)
export class CooperativeMutationResolver {
  @Mutation(() => Cooperative, { description: 'Registers a cooperative founded at a village special meeting.' })
  registerCooperative(
    @Arg('input', () => RegisterCooperativeInput) input: RegisterCooperativeInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Cooperative> {
    return idempotentWrite(
      context,
      { operation: 'registerCooperative', entity: 'Cooperative', idempotencyKey, input },
      async (tx) => {
        const village = checkVillage(input.villageCode);
        const expected = village.kind === 'KELURAHAN' ? 'KKMP' : 'KDMP';
        if (input.kind !== expected)
          throw ruleViolation(
            'kind_matches_village',
            `Village ${village.code} is a ${village.kind.toLowerCase()}, so its cooperative is a ${expected}, not ${input.kind}.`,
          );
        if (!input.name.trim()) throw ruleViolation('name_required', 'name must not be empty.');
        if (!Number.isInteger(input.members) || input.members < 9)
          throw ruleViolation('minimum_members', `A cooperative is founded by at least 9 members; got ${input.members}.`);
        const musdesusDate = parseDate(input.musdesusDate, 'musdesusDate');
        if (musdesusDate > new Date()) throw ruleViolation('date_not_in_future', 'musdesusDate cannot be in the future.');
        // A ward may hold more than one cooperative: ids stay unique with a suffix.
        const taken = await tx.cooperative.count({ where: { villageCode: village.code } });
        const id = `${input.kind}-${village.code}${taken > 0 ? `-${taken + 1}` : ''}`;
        const [p, r, d] = village.code.split('.');
        const created = await tx.cooperative.create({
          data: {
            id,
            name: input.name.trim(),
            kind: input.kind,
            formation: input.formation,
            stage: 'MUSDESUS_HELD',
            musdesusDate,
            members: input.members,
            villageCode: village.code,
            districtCode: `${p}.${r}.${d}`,
            regencyCode: `${p}.${r}`,
            provinceCode: p!,
            updatedAt: new Date(),
          },
        });
        return { entityId: id, before: null, after: created };
      },
      (tx, id) => existing(tx, id),
    ) as Promise<Cooperative>;
  }

  @Mutation(() => Cooperative, { description: 'Moves a cooperative forward in its lifecycle, recording the identifier the step brings.' })
  advanceCooperativeStage(
    @Arg('input', () => AdvanceStageInput) input: AdvanceStageInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Cooperative> {
    return idempotentWrite(
      context,
      { operation: 'advanceCooperativeStage', entity: 'Cooperative', idempotencyKey, input },
      async (tx) => {
        const before = await existing(tx, input.cooperativeId);
        checkStageForward(before.stage, input.stage);
        for (const field of ['ahuDecreeNumber', 'nikKoperasi', 'nib', 'npwp'] as const) checkIdentifierFormat(field, input[field]);
        const next = {
          ahuDecreeNumber: input.ahuDecreeNumber ?? before.ahuDecreeNumber,
          nikKoperasi: input.nikKoperasi ?? before.nikKoperasi,
          nib: input.nib ?? before.nib,
          npwp: input.npwp ?? before.npwp,
        };
        checkStageIdentifiers(input.stage, next);
        const ahuDecreeDate = input.ahuDecreeDate ? parseDate(input.ahuDecreeDate, 'ahuDecreeDate') : before.ahuDecreeDate;
        if (ahuDecreeDate && ahuDecreeDate < before.musdesusDate) {
          throw ruleViolation(
            'dates_in_order',
            `ahuDecreeDate ${input.ahuDecreeDate} is before the musdesus (${before.musdesusDate.toISOString().slice(0, 10)}); the decree follows the meeting.`,
          );
        }
        const after = await tx.cooperative.update({ where: { id: before.id }, data: { ...next, ahuDecreeDate, stage: input.stage, updatedAt: new Date() } });
        return { entityId: before.id, before, after };
      },
      (tx, id) => existing(tx, id),
    ) as Promise<Cooperative>;
  }

  @Mutation(() => Cooperative, { description: 'Adds a business unit or moves it forward (PLANNED → UNDER_CONSTRUCTION → COMPLETED → OPERATING).' })
  setBusinessUnit(
    @Arg('input', () => SetBusinessUnitInput) input: SetBusinessUnitInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Cooperative> {
    return idempotentWrite(
      context,
      { operation: 'setBusinessUnit', entity: 'Cooperative', idempotencyKey, input },
      async (tx) => {
        const before = await existing(tx, input.cooperativeId);
        const units = before.units as { type: string; status: string }[];
        const current = units.find((u) => u.type === input.type);
        checkUnitForward(current?.status as never, input.status);
        const next = current
          ? units.map((u) => (u.type === input.type ? { type: u.type, status: input.status } : u))
          : [...units, { type: input.type, status: input.status }];
        const after = await tx.cooperative.update({ where: { id: before.id }, data: { units: next, updatedAt: new Date() } });
        return { entityId: before.id, before: { units }, after: { units: after.units } };
      },
      (tx, id) => existing(tx, id),
    ) as Promise<Cooperative>;
  }
}
