import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { figureField, ListSize, SUPPRESSED_FIELD, SuppressedFigure } from '@kopdes/kit';

@ObjectType()
@Directive('@key(fields: "code")')
export class Province {
  @Field(() => ID) code!: string;
}

@ObjectType()
@Directive('@key(fields: "code")')
export class Regency {
  @Field(() => ID) code!: string;
}

@ObjectType({
  description:
    'Kemnaker workforce figures for a region, computed in the database. For the public, a figure covering too few cooperatives is null (see suppressed).',
})
export class LabourAggregate {
  @Field(() => Date, { description: 'Latest workforce report in the region.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Int, figureField('Cooperatives with a workforce report.')) cooperativesReporting!: number | null;
  @Field(() => Int, figureField()) employees!: number | null;
  @Field(() => Float, figureField('Employees per reporting cooperative, to two decimals.')) averagePerCooperative!: number | null;
  @Field(() => Int, figureField('Cooperatives employing at least 20 people.')) cooperativesAtTarget!: number | null;
  @Field(() => Int, figureField('Jobs the 20-per-cooperative target implies: cooperativesReporting × 20.')) targetEmployees!: number | null;
  @Field(() => Int, figureField()) trainedBoardMembers!: number | null;
  @Field(() => Int, figureField()) certifiedStaff!: number | null;
  @ListSize(10) @Field(() => [SuppressedFigure], SUPPRESSED_FIELD) suppressed!: SuppressedFigure[];
}
