import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '@kopdes/kit';
import type { DigitalDb } from '../db';
import type { DigitalLoaders } from '../loaders';
import { DIGITAL_AS_OF, DIGITAL_SOURCE } from '../source';
import { Cooperative, CooperativeDigital } from './cooperative.type';

type Context = SubgraphContext<DigitalDb, DigitalLoaders>;

@Resolver(() => Cooperative)
export class CooperativeDigitalResolver {
  @FieldResolver(() => CooperativeDigital, { nullable: true, description: 'Komdigi: platform onboarding and digital payments.' })
  async digital(@Root() cooperative: Cooperative, @Ctx() { loaders }: Context): Promise<CooperativeDigital> {
    const row = await loaders.onboarding.load(cooperative.id);
    return {
      asOf: row?.updatedAt ?? DIGITAL_AS_OF,
      source: DIGITAL_SOURCE,
      onboarded: row?.simkopdesOnboarded ?? false,
      digitalPayments: row?.digitalPaymentsEnabled ?? false,
      onboardedOn: row?.onboardedOn ?? null,
    };
  }
}
