import { Field, Float, InputType, Int } from 'type-graphql';
import { ElectricitySupply } from './village.type';

@InputType({ description: 'Electricity in a village as ESDM assessed it; replaces the previous assessment.' })
export class RecordVillageElectrificationInput {
  @Field(() => String, { description: 'Village or urban ward code, e.g. "35.14.01.2001" (dots optional).' }) villageCode!: string;
  @Field(() => Boolean, { description: 'The village has electricity at all.' }) electrified!: boolean;
  @Field(() => Float, { description: 'Share of households with electricity, 0..1 (0 when not electrified).' }) ratio!: number;
  @Field(() => ElectricitySupply, { description: 'NONE exactly when the village is not electrified.' }) supply!: ElectricitySupply;
  @Field(() => Int, { description: 'Typical hours of supply per day, 0..24 (0 when not electrified).' }) supplyHoursPerDay!: number;
}
