import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { checkNotInFuture, IDEMPOTENCY_KEY, idempotentWrite, notFound, parseDate, ruleViolation, type SubgraphContext } from '@kopdes/kit';
import { type EnergyDb, type Tx } from '../db';
import type { EnergyLoaders } from '../loaders';
import { RegisterSolarPlantInput, SetSolarPlantStatusInput } from './solar-plant.input';
import { checkCapacity, checkCommissioning, checkStatusForward, checkStorage } from './solar-plant.rules';
import { SolarPlant, SolarPlantStatus } from './solar-plant.type';

type Context = SubgraphContext<EnergyDb, EnergyLoaders>;

async function existing(tx: Tx, id: string) {
  const plant = await tx.solarPlant.findUnique({ where: { id } });
  if (!plant) throw notFound(`No solar plant has id ${id}.`);
  return plant;
}

/** ESDM only knows the cooperatives the registry has synchronised to it as candidate sites. */
async function knownSite(tx: Tx, cooperativeId: string) {
  const site = await tx.cooperativeSite.findUnique({ where: { cooperativeId } });
  if (!site)
    throw ruleViolation('unknown_cooperative', `ESDM has no record of cooperative ${cooperativeId}; check the registry id (e.g. "KDMP-35.14.01.2001").`);
  return site;
}

/** ESDM's solar plant writes: validated, idempotent, audited, all-or-nothing. */
@Resolver(() => SolarPlant)
export class SolarPlantMutationResolver {
  @Mutation(() => SolarPlant, { description: 'Registers a solar plant (PLTS) planned at a cooperative; it starts PLANNED.' })
  registerSolarPlant(
    @Arg('input', () => RegisterSolarPlantInput) input: RegisterSolarPlantInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<SolarPlant> {
    return idempotentWrite(
      context,
      { operation: 'registerSolarPlant', entity: 'SolarPlant', idempotencyKey, input },
      async (tx) => {
        const site = await knownSite(tx, input.cooperativeId);
        checkCapacity(input.capacityKwp);
        checkStorage(input.storageKwh, input.capacityKwp);
        const plannedOn = parseDate(input.plannedOn, 'plannedOn');
        checkNotInFuture(plannedOn, 'plannedOn');
        // Ids number a cooperative's plants from 1, like the seeded ones.
        const taken = await tx.solarPlant.count({ where: { cooperativeId: site.cooperativeId } });
        const created = await tx.solarPlant.create({
          data: {
            id: `PLTS-${site.cooperativeId}-${taken + 1}`,
            cooperativeId: site.cooperativeId,
            villageCode: site.villageCode,
            districtCode: site.districtCode,
            regencyCode: site.regencyCode,
            provinceCode: site.provinceCode,
            capacityKwp: input.capacityKwp,
            storageKwh: input.storageKwh,
            status: SolarPlantStatus.PLANNED,
            plannedOn,
            commissionedOn: null,
            updatedAt: new Date(),
          },
        });
        return { entityId: created.id, before: null, after: created };
      },
      (tx, id) => existing(tx, id),
    ) as Promise<SolarPlant>;
  }

  @Mutation(() => SolarPlant, {
    description: 'Moves a solar plant forward (PLANNED → UNDER_CONSTRUCTION → COMMISSIONED → OPERATING), with its commissioning date from COMMISSIONED.',
  })
  setSolarPlantStatus(
    @Arg('input', () => SetSolarPlantStatusInput) input: SetSolarPlantStatusInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<SolarPlant> {
    return idempotentWrite(
      context,
      { operation: 'setSolarPlantStatus', entity: 'SolarPlant', idempotencyKey, input },
      async (tx) => {
        const before = await existing(tx, input.plantId);
        checkStatusForward(before.status, input.status);
        const given = input.commissionedOn !== undefined && input.commissionedOn !== null;
        const commissionedOn = given ? parseDate(input.commissionedOn!, 'commissionedOn') : before.commissionedOn;
        checkCommissioning(input.status, commissionedOn, given, before.plannedOn);
        if (given) checkNotInFuture(commissionedOn!, 'commissionedOn');
        const after = await tx.solarPlant.update({ where: { id: before.id }, data: { status: input.status, commissionedOn, updatedAt: new Date() } });
        return { entityId: before.id, before, after };
      },
      (tx, id) => existing(tx, id),
    ) as Promise<SolarPlant>;
  }
}
