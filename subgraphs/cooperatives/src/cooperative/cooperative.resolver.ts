import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import {
  badInput,
  checkPageSize,
  decodeCursor,
  discloseRow,
  ListSize,
  normalizeRegionCode,
  PagedBy,
  Personal,
  regionAggregateField,
  regionColumn,
  regionFilter,
  selectsField,
  type SubgraphContext,
  toConnection,
} from '@kopdes/kit';
import { LIFECYCLE_STAGES } from '@kopdes/kit/synthetic';
import type { CooperativesDb } from '../db';
import type { Prisma } from '../generated/prisma/client';
import { type CooperativeLoaders, emptyRegistryRow, regionPage } from './cooperative.loaders';
import { boardMembers } from './cooperative.personal';
import { REGISTRY_SOURCE } from '../source';
import {
  BoardMember,
  BusinessUnit,
  Cooperative,
  CooperativeConnection,
  CooperativeFilter,
  CooperativeKind,
  type LifecycleStage,
  Province,
  Provenance,
  Regency,
  RegistryAggregate,
  Village,
} from './cooperative.type';

type Context = SubgraphContext<CooperativesDb, CooperativeLoaders>;

/** A cooperative's units and `updatedAt`: on the row, or read by id when it came from the by-id lookup (which leaves them out). */
async function detail(cooperative: Partial<Pick<Cooperative, 'units' | 'updatedAt'>> & { id: string }, loaders: CooperativeLoaders) {
  if (cooperative.units !== undefined && cooperative.updatedAt !== undefined) return { units: cooperative.units, updatedAt: cooperative.updatedAt };
  const row = await loaders.cooperativeDetail.load(cooperative.id);
  if (!row) throw new Error(`Cooperative ${cooperative.id} was removed while this request read it.`);
  return row;
}

const MAX_IDS = 5000;

/** Translates the public filter into one Prisma where clause (one SQL statement). */
export function cooperativeWhere(filter: CooperativeFilter | undefined): Prisma.CooperativeWhereInput {
  const and: Prisma.CooperativeWhereInput[] = [];
  if (!filter) return {};
  if (filter.regionCode) {
    const code = normalizeRegionCode(filter.regionCode, 'filter.regionCode');
    and.push({ [regionColumn(code)]: code });
  }
  if (filter.kind) and.push({ kind: filter.kind });
  if (filter.stages) and.push({ stage: { in: filter.stages } });
  if (filter.stageAtLeast) {
    and.push({ stage: { in: LIFECYCLE_STAGES.slice(LIFECYCLE_STAGES.indexOf(filter.stageAtLeast)) as LifecycleStage[] } });
  }
  if (filter.businessUnitStatus && !filter.businessUnit) {
    throw badInput('filter.businessUnitStatus needs filter.businessUnit: say which unit type the status is about.', { argument: 'filter.businessUnitStatus' });
  }
  if (filter.businessUnit) {
    // JSONB containment on the GIN index: any of the statuses, or the type alone.
    const statuses = filter.businessUnitStatus ?? [undefined];
    and.push({
      OR: statuses.map((status) => ({ units: { array_contains: [status ? { type: filter.businessUnit, status } : { type: filter.businessUnit }] } })),
    });
  }
  if (filter.ids) {
    if (filter.ids.length > MAX_IDS)
      throw badInput(`filter.ids takes at most ${MAX_IDS} ids; narrow the selection by region first.`, { argument: 'filter.ids' });
    and.push({ id: { in: filter.ids } });
  }
  return and.length === 1 ? and[0]! : { AND: and };
}

/** The region of a filter that asks for nothing else (any other field set, e.g. one added later, goes through Prisma's where). */
function regionOnly(filter: CooperativeFilter | undefined): ReturnType<typeof regionFilter> | undefined {
  if (!filter?.regionCode) return undefined;
  const others = Object.entries(filter).filter(([name, value]) => name !== 'regionCode' && value != null);
  return others.length === 0 ? regionFilter(filter.regionCode, 'filter.regionCode') : undefined;
}

function provenance(asOf: Date): Provenance {
  // The kit sets `synthetic` (and labels `source`) from the database's seed marker.
  return { asOf, source: REGISTRY_SOURCE, synthetic: false };
}

/** A region's registry figures (of one kind, or all) as the caller may read them (disclosure control for the public). */
async function registryOf(code: string, kind: CooperativeKind | null | undefined, { loaders, caller }: Context): Promise<RegistryAggregate> {
  const part = kind ?? '';
  const { byStage, asOf, ...figures } = discloseRow(await loaders.registryAggregate.load({ code, part }), caller, emptyRegistryRow(code, part));
  return {
    ...figures,
    byStage: byStage && LIFECYCLE_STAGES.map((stage) => ({ stage: stage as LifecycleStage, count: byStage[stage] ?? 0 })),
    provenance: provenance(asOf),
  };
}

@Resolver(() => Cooperative)
export class CooperativeResolver {
  @Query(() => Cooperative, { nullable: true, description: 'A cooperative by registry id; null when the id is unknown.' })
  cooperative(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.cooperative.load(id.trim());
  }

  @PagedBy('first', ['edges'])
  @Query(() => CooperativeConnection, { description: 'Cooperatives matching a filter, by id, a page at a time (Relay connection).' })
  async cooperatives(
    @Arg('filter', () => CooperativeFilter, { nullable: true }) filter: CooperativeFilter | undefined,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, at most 500.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | undefined,
    @Ctx() { prisma, db }: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    checkPageSize(first);
    const where = cooperativeWhere(filter ?? undefined);
    const afterId = after ? decodeCursor(after) : undefined;
    const region = regionOnly(filter);
    if (region) {
      const { rows, totalCount } = await regionPage(db, region.column, region.code, afterId, first + 1, selectsField(info, 'totalCount'));
      return toConnection(rows, first, totalCount, (c) => c.id, afterId !== undefined);
    }
    const rows = await prisma.cooperative.findMany({
      where: afterId ? { AND: [where, { id: { gt: afterId } }] } : where,
      orderBy: { id: 'asc' },
      take: first + 1,
    });
    const totalCount = selectsField(info, 'totalCount') ? await prisma.cooperative.count({ where }) : 0;
    return toConnection(rows, first, totalCount, (c) => c.id, afterId !== undefined);
  }

  @FieldResolver(() => Village, { description: 'The village or urban ward it serves.' })
  village(@Root() cooperative: Cooperative): Village {
    return { code: cooperative.villageCode };
  }

  @ListSize(9)
  @FieldResolver(() => [BoardMember], {
    nullable: true,
    description:
      'Board and supervisors. Personal data: Kemenkop officers and admins, with a registered purpose of use (the token\'s "purpose" claim); every read is on the access record.',
  })
  @Personal()
  board(@Root() cooperative: Cooperative, @Ctx() context: Context, @Info() info: GraphQLResolveInfo): Promise<BoardMember[]> {
    return context.personal.read(boardMembers, cooperative.id, info);
  }

  @ListSize(5)
  @FieldResolver(() => [BusinessUnit])
  async businessUnits(@Root() cooperative: Cooperative, @Ctx() { loaders }: Context): Promise<BusinessUnit[]> {
    return (await detail(cooperative, loaders)).units as BusinessUnit[];
  }

  @FieldResolver(() => Provenance)
  async provenance(@Root() cooperative: Cooperative, @Ctx() { loaders }: Context): Promise<Provenance> {
    return provenance((await detail(cooperative, loaders)).updatedAt);
  }
}

@Resolver(() => Village)
export class VillageCooperativesResolver {
  @ListSize(1)
  @FieldResolver(() => [Cooperative], { nullable: true, description: 'Cooperatives registered in this village (usually one). Needs a signed-in caller.' })
  cooperatives(@Root() village: Village, @Ctx() { loaders }: Context) {
    return loaders.cooperativesOfVillage.load(village.code);
  }

  // Region data, public like a regency's: a regency's villages are one GROUP BY however many are asked.
  @FieldResolver(
    () => RegistryAggregate,
    regionAggregateField('cooperatives', 'Registry figures (Kemenkop) for this village, optionally for one kind (KDMP or KKMP).'),
  )
  registry(@Root() village: Village, @Arg('kind', () => CooperativeKind, { nullable: true }) kind: CooperativeKind | undefined, @Ctx() context: Context) {
    return registryOf(village.code, kind, context);
  }
}

@Resolver(() => Province)
export class ProvinceRegistryResolver {
  @FieldResolver(
    () => RegistryAggregate,
    regionAggregateField('cooperatives', 'Registry figures (Kemenkop) for this province, optionally for one kind (KDMP or KKMP).'),
  )
  registry(@Root() province: Province, @Arg('kind', () => CooperativeKind, { nullable: true }) kind: CooperativeKind | undefined, @Ctx() context: Context) {
    return registryOf(province.code, kind, context);
  }
}

@Resolver(() => Regency)
export class RegencyRegistryResolver {
  @FieldResolver(
    () => RegistryAggregate,
    regionAggregateField('cooperatives', 'Registry figures (Kemenkop) for this regency, optionally for one kind (KDMP or KKMP).'),
  )
  registry(@Root() regency: Regency, @Arg('kind', () => CooperativeKind, { nullable: true }) kind: CooperativeKind | undefined, @Ctx() context: Context) {
    return registryOf(regency.code, kind, context);
  }
}
