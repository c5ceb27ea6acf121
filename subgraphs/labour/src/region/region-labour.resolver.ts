import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { regionAggregateField, type SubgraphContext } from '@kopdes/kit';
import type { LabourDb } from '../db';
import type { LabourLoaders } from '../loaders';
import { LABOUR_SOURCE } from '../source';
import { TARGET_EMPLOYEES } from '../target';
import type { LabourAggregateRow } from './region-labour.loaders';
import { LabourAggregate, Province, Regency } from './region-labour.type';

type Context = SubgraphContext<LabourDb, LabourLoaders>;

function toAggregate(row: LabourAggregateRow): LabourAggregate {
  return {
    ...row,
    source: LABOUR_SOURCE,
    averagePerCooperative: row.cooperativesReporting > 0 ? Math.round((row.employees / row.cooperativesReporting) * 100) / 100 : 0,
    targetEmployees: row.cooperativesReporting * TARGET_EMPLOYEES,
  };
}

@Resolver(() => Province)
export class ProvinceLabourResolver {
  @FieldResolver(() => LabourAggregate, regionAggregateField('labour', 'Workforce figures (Kemnaker) for this province.'))
  async labour(@Root() province: Province, @Ctx() { loaders }: Context): Promise<LabourAggregate> {
    return toAggregate(await loaders.provinceAggregate.load(province.code));
  }
}

@Resolver(() => Regency)
export class RegencyLabourResolver {
  @FieldResolver(() => LabourAggregate, regionAggregateField('labour', 'Workforce figures (Kemnaker) for this regency.'))
  async labour(@Root() regency: Regency, @Ctx() { loaders }: Context): Promise<LabourAggregate> {
    return toAggregate(await loaders.regencyAggregate.load(regency.code));
  }
}
