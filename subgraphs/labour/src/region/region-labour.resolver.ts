import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { discloseRow, regionAggregateField, type SubgraphContext } from '@kopdes/kit';
import type { LabourDb } from '../db';
import type { LabourLoaders } from '../loaders';
import { LABOUR_SOURCE } from '../source';
import { TARGET_EMPLOYEES } from '../cooperative/cooperative-labour.rules';
import { emptyLabourRow } from './region-labour.loaders';
import { LabourAggregate, Province, Regency } from './region-labour.type';

type Context = SubgraphContext<LabourDb, LabourLoaders>;

/** The region's figures as the caller may read them (disclosure control for the public). */
async function labourOf(code: string, { loaders, caller }: Context): Promise<LabourAggregate> {
  const cell = await loaders.regionLabour.load({ code });
  const row = cell.row ?? emptyLabourRow(code);
  const figures = {
    ...row,
    averagePerCooperative: row.cooperativesReporting > 0 ? Math.round((row.employees / row.cooperativesReporting) * 100) / 100 : 0,
    targetEmployees: row.cooperativesReporting * TARGET_EMPLOYEES,
  };
  return { ...discloseRow({ ...cell, row: figures }, caller, figures), source: LABOUR_SOURCE };
}

@Resolver(() => Province)
export class ProvinceLabourResolver {
  @FieldResolver(() => LabourAggregate, regionAggregateField('labour', 'Workforce figures (Kemnaker) for this province.'))
  labour(@Root() province: Province, @Ctx() context: Context): Promise<LabourAggregate> {
    return labourOf(province.code, context);
  }
}

@Resolver(() => Regency)
export class RegencyLabourResolver {
  @FieldResolver(() => LabourAggregate, regionAggregateField('labour', 'Workforce figures (Kemnaker) for this regency.'))
  labour(@Root() regency: Regency, @Ctx() context: Context): Promise<LabourAggregate> {
    return labourOf(regency.code, context);
  }
}
