import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { ListSize, normalizeRegionCode, regionColumn } from '@kopdes/kit';
import type { Context } from '../loaders';
import type { Prisma } from '../generated/prisma/client';
import { Province } from '../province/province.type';
import { TaskForceRegion } from '../task-force-region/task-force-region.type';
import { taskForceRegionOf } from '../task-force-region/task-force-regions';
import { Cooperative, PilotModel, PilotSite, RegionCategory, toPilotSite, Village } from './pilot-site.type';

@Resolver(() => PilotSite)
export class PilotSiteResolver {
  @ListSize(10)
  @Query(() => [PilotSite], { description: "Pilot sites of the Task Force's pilot model (LAN), by id. Public; `cooperative` needs a signed-in caller." })
  async pilotSites(
    @Arg('regionCode', () => String, {
      nullable: true,
      description: 'Region code prefix: "35", "35.14", "35.14.09" or a village code (dots optional); every region when omitted.',
    })
    regionCode: string | undefined,
    @Arg('category', () => RegionCategory, { nullable: true, description: 'Keep sites standing for this region category.' })
    category: RegionCategory | undefined,
    @Arg('model', () => PilotModel, { nullable: true }) model: PilotModel | undefined,
    @Ctx() { prisma }: Context,
  ): Promise<PilotSite[]> {
    const where: Prisma.PilotSiteWhereInput = {};
    if (regionCode) {
      const code = normalizeRegionCode(regionCode, 'regionCode');
      where[regionColumn(code)] = code;
    }
    if (model) where.model = model;
    // A few hundred sites nationally: categories (partly derived from the village code) are filtered here.
    const sites = (await prisma.pilotSite.findMany({ where, orderBy: { id: 'asc' } })).map(toPilotSite);
    return category ? sites.filter((s) => s.categories.includes(category)) : sites;
  }

  @FieldResolver(() => Cooperative, { description: 'The cooperative (Kemenkop registry). Analysts, officers and admins.' })
  cooperative(@Root() site: PilotSite): Cooperative {
    return { id: site.cooperativeId };
  }

  @FieldResolver(() => Village)
  village(@Root() site: PilotSite): Village {
    return { code: site.villageCode };
  }

  @FieldResolver(() => Province)
  province(@Root() site: PilotSite): Pick<Province, 'code'> {
    return { code: site.provinceCode };
  }

  @FieldResolver(() => TaskForceRegion, { nullable: true })
  region(@Root() site: PilotSite): TaskForceRegion | null {
    return taskForceRegionOf(site.provinceCode);
  }
}
