import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { IDEMPOTENCY_KEY, idempotentWrite, normalizeRegionCode, ruleViolation, type SubgraphContext } from '@kopdes/kit';
import type { EnergyDb } from '../db';
import type { EnergyLoaders } from '../loaders';
import { RELIABLE_HOURS } from '../seed';
import { RecordVillageElectrificationInput } from './village-electrification.input';
import { checkElectrification } from './village-electrification.rules';
import { Village } from './village.type';

type Context = SubgraphContext<EnergyDb, EnergyLoaders>;

/** ESDM's village electrification writes: validated, idempotent, audited, all-or-nothing. */
@Resolver(() => Village)
export class VillageElectrificationMutationResolver {
  @Mutation(() => Village, {
    description: "Records ESDM's latest assessment of electricity in a village (replacing the previous one); read it back as electrification.",
  })
  recordVillageElectrification(
    @Arg('input', () => RecordVillageElectrificationInput) input: RecordVillageElectrificationInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Village> {
    return idempotentWrite(
      context,
      { operation: 'recordVillageElectrification', entity: 'VillageElectrification', idempotencyKey, input },
      async (tx) => {
        const code = normalizeRegionCode(input.villageCode, 'villageCode', 'VILLAGE');
        const before = await tx.villageElectrification.findUnique({ where: { villageCode: code } });
        if (!before) throw ruleViolation('unknown_village', `ESDM has no record of village ${code}; check the Kemendagri code (e.g. "35.14.01.2001").`);
        checkElectrification(input);
        const after = await tx.villageElectrification.update({
          where: { villageCode: code },
          data: {
            electrified: input.electrified,
            electrificationRatio: input.ratio,
            supply: input.supply,
            supplyHoursPerDay: input.supplyHoursPerDay,
            reliableSupply: input.supplyHoursPerDay >= RELIABLE_HOURS,
            updatedAt: new Date(),
          },
        });
        return { entityId: code, before, after };
      },
      async (_tx, code) => ({ code }),
    ) as Promise<Village>;
  }
}
