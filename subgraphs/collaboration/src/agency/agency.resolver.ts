import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../loaders';
import { indicatorsOwnedBy } from '../indicator/indicator';
import { Indicator } from '../indicator/indicator.type';
import { Commitment, toCommitment } from '../commitment/commitment.type';
import { Agency } from './agency.type';
import { ListSize, parseDate } from '@kopdes/kit';

@Resolver(() => Agency)
export class AgencyResolver {
  @ListSize(10)
  @Query(() => [Agency], { description: 'The agencies of the collaboration (the sixteen of Inpres 9/2025, ESDM, Kemnaker and LAN), by code.' })
  agencies(
    @Arg('taskForceMember', () => Boolean, { nullable: true, description: 'true: only Task Force members; false: only the others.' })
    member: boolean | undefined,
    @Ctx() { prisma }: Context,
  ): Promise<Agency[]> {
    return prisma.agency.findMany({ where: member == null ? {} : { taskForceMember: member }, orderBy: { code: 'asc' } });
  }

  @Query(() => Agency, { nullable: true, description: 'An agency by code, e.g. "ESDM"; null when unknown.' })
  agency(@Arg('code', () => ID) code: string, @Ctx() { loaders }: Context): Promise<Agency | null> {
    return loaders.agency.load(code.trim().toUpperCase());
  }

  @ListSize(10)
  @FieldResolver(() => [Indicator], { description: 'The indicators this agency may commit to: those published by the subgraph whose data it owns.' })
  indicators(@Root() agency: Agency): Indicator[] {
    return indicatorsOwnedBy(agency.dataSubgraph);
  }

  @ListSize(10)
  @FieldResolver(() => [Commitment], { description: "This agency's commitments in every province, by due date, without realisation (see Commitment)." })
  async commitments(
    @Root() agency: Agency,
    @Arg('dueAfter', () => String, { nullable: true, description: 'Due on or after this day, YYYY-MM-DD.' }) dueAfter: string | undefined,
    @Arg('dueBefore', () => String, { nullable: true, description: 'Due on or before this day, YYYY-MM-DD.' }) dueBefore: string | undefined,
    @Ctx() { loaders }: Context,
  ): Promise<Commitment[]> {
    const after = dueAfter ? parseDate(dueAfter, 'dueAfter') : null;
    const before = dueBefore ? parseDate(dueBefore, 'dueBefore') : null;
    return (await loaders.commitmentsOfAgency.load(agency.code))
      .filter((c) => (!after || c.dueDate >= after) && (!before || c.dueDate <= before))
      .map(toCommitment);
  }
}
