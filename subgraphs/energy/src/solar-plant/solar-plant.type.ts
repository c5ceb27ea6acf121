import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { SolarPlantStatus } from '../generated/prisma/enums';

registerEnumType(SolarPlantStatus, {
  name: 'SolarPlantStatus',
  description: 'PLANNED → UNDER_CONSTRUCTION → COMMISSIONED (handed over, in service) → OPERATING (in regular operation).',
});

export { SolarPlantStatus };

@ObjectType({ description: 'A solar power plant (PLTS) at a cooperative, with battery storage.' })
export class SolarPlant {
  @Field(() => ID, { description: 'Opaque ESDM id, e.g. "PLTS-KDMP-35.14.01.2001-1".' }) id!: string;
  @Field(() => Float, { description: 'Peak capacity in kWp (plans aim at 1,000-1,500: "one village, one megawatt").' }) capacityKwp!: number;
  @Field(() => Float, { description: 'Battery storage in kWh (0 when none).' }) storageKwh!: number;
  @Field(() => SolarPlantStatus) status!: SolarPlantStatus;
  @Field(() => Date, { description: 'When the plant entered the plan.' }) plannedOn!: Date;
  @Field(() => Date, { nullable: true, description: 'When it was commissioned; null until then.' }) commissionedOn!: Date | null;
  cooperativeId!: string;
  villageCode!: string;
  updatedAt!: Date;
}
