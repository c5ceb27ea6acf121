import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';

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

@ObjectType({ description: 'Kemnaker workforce figures for a region, computed in the database.' })
export class LabourAggregate {
  @Field(() => Date, { description: 'Latest workforce report in the region.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Int, { description: 'Cooperatives with a workforce report.' }) cooperativesReporting!: number;
  @Field(() => Int) employees!: number;
  @Field(() => Float, { description: 'Employees per reporting cooperative, to two decimals.' }) averagePerCooperative!: number;
  @Field(() => Int, { description: 'Cooperatives employing at least 20 people.' }) cooperativesAtTarget!: number;
  @Field(() => Int, { description: 'Jobs the 20-per-cooperative target implies: cooperativesReporting × 20.' }) targetEmployees!: number;
  @Field(() => Int) trainedBoardMembers!: number;
  @Field(() => Int) certifiedStaff!: number;
}
