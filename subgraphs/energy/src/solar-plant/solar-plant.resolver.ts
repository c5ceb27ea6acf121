import { FieldResolver, Resolver, Root } from 'type-graphql';
import { Cooperative } from '../cooperative/cooperative.type';
import { Village } from '../village/village.type';
import { SolarPlant } from './solar-plant.type';

@Resolver(() => SolarPlant)
export class SolarPlantResolver {
  @FieldResolver(() => Cooperative, { description: 'The cooperative that hosts the plant.' })
  cooperative(@Root() plant: SolarPlant): Cooperative {
    return { id: plant.cooperativeId };
  }

  @FieldResolver(() => Village, { description: 'The village where it stands.' })
  village(@Root() plant: SolarPlant): Village {
    return { code: plant.villageCode };
  }
}
