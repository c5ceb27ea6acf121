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

@ObjectType({ description: 'ESDM figures for a region, computed in the database. Synthetic development data.' })
export class EnergyAggregate {
  @Field(() => Date, { description: 'When the newest record behind these figures was updated.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Float, { description: 'kWp of plants still PLANNED.' }) kwpPlanned!: number;
  @Field(() => Float, { description: 'kWp of plants UNDER_CONSTRUCTION.' }) kwpUnderConstruction!: number;
  @Field(() => Float, { description: 'kWp in service: COMMISSIONED or OPERATING.' }) kwpCommissioned!: number;
  @Field(() => Float, { description: 'kWp of plants OPERATING (part of kwpCommissioned).' }) kwpOperating!: number;
  @Field(() => Int, { description: 'Plants in any status.' }) plants!: number;
  @Field(() => Int, { description: 'Villages with an electrification record.' }) villages!: number;
  @Field(() => Int, { description: 'Villages without electricity.' }) unelectrifiedVillages!: number;
  @Field(() => Int, { description: 'Villages without electricity that have a registered cooperative (a candidate plant site).' }) unelectrifiedVillagesWithCooperative!: number;
  @Field(() => Int, { description: 'Villages without electricity whose cooperative has a plant in any status.' }) unelectrifiedVillagesWithPlant!: number;
  @Field(() => Int, { description: 'Villages with less than 20 hours of supply a day (including those without any).' }) unreliableSupplyVillages!: number;
}
