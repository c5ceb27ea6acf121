import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { checkNotInFuture, IDEMPOTENCY_KEY, idempotentWrite, notFound, parseDate, ruleViolation } from '@kopdes/kit';
import type { Context } from '../loaders';
import { RegisterPilotSiteInput } from './pilot-site.input';
import { checkCooperativeId, checkStatusForKind, checkVillage } from './pilot-site.rules';
import { PilotSite, toPilotSite } from './pilot-site.type';
import type { Tx } from '../db';

async function load(tx: Tx, id: string): Promise<PilotSite> {
  const site = await tx.pilotSite.findUnique({ where: { id } });
  if (!site) throw notFound(`No pilot site has id ${id}.`);
  return toPilotSite(site);
}

@Resolver(() => PilotSite)
export class PilotSiteMutationResolver {
  @Mutation(() => PilotSite, {
    description: 'Registers a cooperative as a pilot site of the pilot model. Task Force secretariat (collaboration officers) and admins.',
  })
  registerPilotSite(
    @Arg('input', () => RegisterPilotSiteInput) input: RegisterPilotSiteInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<PilotSite> {
    return idempotentWrite(
      context,
      { operation: 'registerPilotSite', entity: 'PilotSite', idempotencyKey, input },
      async (tx: Tx) => {
        const cooperativeId = checkCooperativeId(input.cooperativeId);
        const village = checkVillage(input.villageCode);
        checkStatusForKind(village.kind, input.developmentStatus);
        const selectedOn = parseDate(input.selectedOn, 'selectedOn');
        checkNotInFuture(selectedOn, 'selectedOn');
        const already = await tx.pilotSite.findUnique({ where: { cooperativeId } });
        if (already) throw ruleViolation('already_pilot_site', `Cooperative ${cooperativeId} is already pilot site ${already.id}.`);
        const [p, r, d] = village.code.split('.');
        const created = await tx.pilotSite.create({
          data: {
            id: `PILOT-${cooperativeId}`,
            cooperativeId,
            villageCode: village.code,
            districtCode: `${p}.${r}.${d}`,
            regencyCode: `${p}.${r}`,
            provinceCode: p!,
            model: input.model,
            developmentStatus: input.developmentStatus ?? null,
            area3T: input.area3T,
            outermostSmallIsland: input.outermostSmallIsland,
            selectedOn,
            updatedAt: new Date(),
          },
        });
        return { entityId: created.id, before: null, after: created };
      },
      load,
    );
  }
}
