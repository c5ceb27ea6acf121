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
    'ESDM figures for a region, computed in the database. Synthetic development data. For the public, a figure covering too few cooperatives (or villages) is null (see suppressed).',
})
export class EnergyAggregate {
  @Field(() => Date, { description: 'When the newest record behind these figures was updated.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Float, figureField('kWp of plants still PLANNED.')) kwpPlanned!: number | null;
  @Field(() => Float, figureField('kWp of plants UNDER_CONSTRUCTION.')) kwpUnderConstruction!: number | null;
  @Field(() => Float, figureField('kWp in service: COMMISSIONED or OPERATING.')) kwpCommissioned!: number | null;
  @Field(() => Float, figureField('kWp of plants OPERATING (part of kwpCommissioned).')) kwpOperating!: number | null;
  @Field(() => Int, figureField('Plants in any status.')) plants!: number | null;
  @Field(() => Int, figureField('Villages with an electrification record.')) villages!: number | null;
  @Field(() => Int, figureField('Villages without electricity.')) unelectrifiedVillages!: number | null;
  @Field(() => Int, figureField('Villages without electricity that have a registered cooperative (a candidate plant site).'))
  unelectrifiedVillagesWithCooperative!: number | null;
  @Field(() => Int, figureField('Villages without electricity whose cooperative has a plant in any status.')) unelectrifiedVillagesWithPlant!: number | null;
  @Field(() => Int, figureField('Villages with less than 20 hours of supply a day (including those without any).')) unreliableSupplyVillages!: number | null;
  @ListSize(10) @Field(() => [SuppressedFigure], SUPPRESSED_FIELD) suppressed!: SuppressedFigure[];
}
