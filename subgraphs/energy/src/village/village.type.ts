import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ElectricitySupply } from '../generated/prisma/enums';

registerEnumType(ElectricitySupply, {
  name: 'ElectricitySupply',
  description: 'PLN_GRID: the state utility grid; OFF_GRID: an isolated system (diesel, micro-hydro, community solar); NONE: no electricity.',
});

export { ElectricitySupply };

// Entity owned by the regions subgraph; ESDM adds its electrification.
@ObjectType()
@Directive('@key(fields: "code")')
export class Village {
  @Field(() => ID) code!: string;
}

@ObjectType({ description: 'Electricity in a village as ESDM last assessed it. Synthetic development data.' })
export class VillageElectrification {
  @Field(() => Date, { description: 'When this village was last assessed.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Boolean, { description: 'The village has electricity at all.' }) electrified!: boolean;
  @Field(() => Float, { description: 'Share of households with electricity, 0..1.' }) ratio!: number;
  @Field(() => Boolean, { description: 'Supply runs at least 20 hours a day.' }) reliableSupply!: boolean;
  @Field(() => ElectricitySupply) supply!: ElectricitySupply;
  @Field(() => Int, { description: 'Typical hours of supply per day, 0..24.' }) supplyHoursPerDay!: number;
}
