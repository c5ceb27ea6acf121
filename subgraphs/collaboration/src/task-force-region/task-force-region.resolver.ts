import { Arg, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Province } from '../province/province.type';
import { TaskForceRegion } from './task-force-region.type';
import { TASK_FORCE_REGIONS } from './task-force-regions';
import { ListSize } from '@kopdes/kit';

@Resolver(() => TaskForceRegion)
export class TaskForceRegionResolver {
  @ListSize(10)
  @Query(() => [TaskForceRegion], {
    description:
      "The four Task Force regions with their provinces. For each agency's progress by region, select " +
      '`provinces { taskForce { commitments { agency { code } realised status } } }`.',
  })
  taskForceRegions(): TaskForceRegion[] {
    return TASK_FORCE_REGIONS;
  }

  @Query(() => TaskForceRegion, { nullable: true, description: 'A Task Force region by code ("I" to "IV"); null when unknown.' })
  taskForceRegion(@Arg('code', () => ID) code: string): TaskForceRegion | null {
    return TASK_FORCE_REGIONS.find((r) => r.code === code.trim().toUpperCase()) ?? null;
  }

  @ListSize(10)
  @FieldResolver(() => [Province], { description: 'The provinces the region covers, by code.' })
  provinces(@Root() region: TaskForceRegion): Pick<Province, 'code'>[] {
    return [...region.provinceCodes].sort().map((code) => ({ code }));
  }
}
