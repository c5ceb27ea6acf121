import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Indicator } from './indicator';

registerEnumType(Indicator, {
  name: 'Indicator',
  description:
    "What a commitment measures: a level another ministry publishes on Province (see Query.indicators for each one's field and unit). " +
    'Only the agency owning that data may commit to it.',
});

export enum IndicatorUnit {
  COOPERATIVES = 'COOPERATIVES',
  VILLAGES = 'VILLAGES',
  PEOPLE = 'PEOPLE',
  KWP = 'KWP',
  RUPIAH = 'RUPIAH',
}
registerEnumType(IndicatorUnit, {
  name: 'IndicatorUnit',
  description: "Unit of an indicator's target and realisation. KWP may carry two decimals; the others are whole numbers (RUPIAH: whole rupiah).",
});

export { Indicator };

@ObjectType({ description: 'An indicator a commitment can measure, and where the graph publishes its level.' })
export class IndicatorInfo {
  @Field(() => Indicator) indicator!: Indicator;
  @Field(() => IndicatorUnit) unit!: IndicatorUnit;
  @Field(() => String, { description: "The subgraph that publishes it; only the agency owning that subgraph's data may commit to it." }) subgraph!: string;
  @Field(() => String, { description: 'The field read, e.g. "Province.energy.kwpCommissioned".' }) field!: string;
  @Field(() => String) description!: string;
}
