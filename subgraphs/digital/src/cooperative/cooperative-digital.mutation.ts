import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { checkNotInFuture, IDEMPOTENCY_KEY, idempotentWrite, parseDate, ruleViolation, type SubgraphContext } from '@kopdes/kit';
import type { DigitalDb } from '../db';
import type { DigitalLoaders } from '../loaders';
import { SetPlatformOnboardingInput } from './cooperative-digital.input';
import { checkOnboarding } from './cooperative-digital.rules';
import { Cooperative } from './cooperative.type';

type Context = SubgraphContext<DigitalDb, DigitalLoaders>;

/** Komdigi's platform onboarding writes: validated, idempotent, audited, all-or-nothing. */
@Resolver(() => Cooperative)
export class CooperativeDigitalMutationResolver {
  @Mutation(() => Cooperative, { description: "Sets a cooperative's platform onboarding and digital payments; read it back as digital." })
  setPlatformOnboarding(
    @Arg('input', () => SetPlatformOnboardingInput) input: SetPlatformOnboardingInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY_KEY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<Cooperative> {
    return idempotentWrite(
      context,
      { operation: 'setPlatformOnboarding', entity: 'PlatformOnboarding', idempotencyKey, input },
      async (tx) => {
        // Komdigi only knows the cooperatives the registry has synchronised to it.
        const before = await tx.platformOnboarding.findUnique({ where: { cooperativeId: input.cooperativeId } });
        if (!before)
          throw ruleViolation(
            'unknown_cooperative',
            `Komdigi has no record of cooperative ${input.cooperativeId}; check the registry id (e.g. "KDMP-35.14.01.2001").`,
          );
        const given = input.onboardedOn !== undefined && input.onboardedOn !== null;
        const date = given ? parseDate(input.onboardedOn!, 'onboardedOn') : null;
        if (date) checkNotInFuture(date, 'onboardedOn');
        const onboardedOn = input.onboarded ? (date ?? before.onboardedOn) : null;
        checkOnboarding(input, onboardedOn);
        const after = await tx.platformOnboarding.update({
          where: { cooperativeId: before.cooperativeId },
          data: { simkopdesOnboarded: input.onboarded, digitalPaymentsEnabled: input.digitalPayments, onboardedOn, updatedAt: new Date() },
        });
        return { entityId: before.cooperativeId, before, after };
      },
      async (_tx, id) => ({ id }),
    ) as Promise<Cooperative>;
  }
}
