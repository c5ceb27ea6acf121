import { Field, Float, ID, InputType } from 'type-graphql';
import { SolarPlantStatus } from './solar-plant.type';

@InputType({ description: "A solar plant (PLTS) entering ESDM's plan at a cooperative; it starts PLANNED." })
export class RegisterSolarPlantInput {
  @Field(() => ID, { description: 'Registry cooperative id, e.g. "KDMP-35.14.01.2001".' }) cooperativeId!: string;
  @Field(() => Float, { description: 'Peak capacity in kWp: more than 0, at most 2,000 (plans aim at 1,000-1,500).' }) capacityKwp!: number;
  @Field(() => Float, { description: 'Battery storage in kWh: 0 (none) up to 4 × capacityKwp.' }) storageKwh!: number;
  @Field(() => String, { description: 'When the plant entered the plan, YYYY-MM-DD, not in the future.' }) plannedOn!: string;
}

@InputType({ description: 'Moves a solar plant forward: PLANNED → UNDER_CONSTRUCTION → COMMISSIONED → OPERATING.' })
export class SetSolarPlantStatusInput {
  @Field(() => ID, { description: 'Plant id, e.g. "PLTS-KDMP-35.14.01.2001-1".' }) plantId!: string;
  @Field(() => SolarPlantStatus) status!: SolarPlantStatus;
  @Field(() => String, {
    nullable: true,
    description: 'Needed from COMMISSIONED (unless already recorded): YYYY-MM-DD, on or after plannedOn, not in the future.',
  })
  commissionedOn?: string | null;
}
