import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { SolarPlant } from '../solar-plant/solar-plant.type';
import { ListSize } from '@kopdes/kit';

// Entity owned by the cooperatives subgraph; ESDM adds its energy namespace.
@ObjectType()
@Directive('@key(fields: "id")')
export class Cooperative {
  @Field(() => ID) id!: string;
}

@ObjectType({ description: 'ESDM data about a cooperative: its solar plants. Synthetic development data.' })
export class CooperativeEnergy {
  @Field(() => Date, { description: 'When this data was last updated.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @ListSize(2)
  @Field(() => [SolarPlant], { description: 'Solar plants at this cooperative, planned or built (most have none yet).' })
  solarPlants!: SolarPlant[];
  cooperativeId!: string;
}
