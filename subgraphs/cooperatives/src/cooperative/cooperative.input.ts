import { Field, ID, InputType, Int } from 'type-graphql';
import { BusinessUnitType, CooperativeKind, FormationPath, LifecycleStage, UnitStatus } from './cooperative.type';

@InputType({ description: 'A cooperative founded at a village special meeting (musdesus).' })
export class RegisterCooperativeInput {
  @Field(() => String, { description: 'Village or urban ward code, e.g. "35.14.01.2001".' }) villageCode!: string;
  @Field(() => String) name!: string;
  @Field(() => CooperativeKind, { description: 'KDMP in a desa, KKMP in a kelurahan.' }) kind!: CooperativeKind;
  @Field(() => FormationPath) formation!: FormationPath;
  @Field(() => String, { description: 'Date of the musdesus, YYYY-MM-DD.' }) musdesusDate!: string;
  @Field(() => Int, { description: 'Founding members (at least 9).' }) members!: number;
}

@InputType({ description: 'Moves a cooperative forward in its lifecycle, with the identifier each step brings.' })
export class AdvanceStageInput {
  @Field(() => ID) cooperativeId!: string;
  @Field(() => LifecycleStage) stage!: LifecycleStage;
  @Field(() => String, { nullable: true, description: 'Needed from AHU_DECREE: e.g. "AHU-0025573.AH.01.29.TAHUN 2025".' }) ahuDecreeNumber?: string;
  @Field(() => String, { nullable: true, description: 'Date of the AHU decree, YYYY-MM-DD.' }) ahuDecreeDate?: string;
  @Field(() => String, { nullable: true, description: 'Needed from NIK_KOPERASI: 16 digits.' }) nikKoperasi?: string;
  @Field(() => String, { nullable: true, description: 'Needed from NIB_ISSUED: 13 digits.' }) nib?: string;
  @Field(() => String, { nullable: true, description: 'Needed from NPWP_ISSUED: 15 or 16 digits.' }) npwp?: string;
}

@InputType()
export class SetBusinessUnitInput {
  @Field(() => ID) cooperativeId!: string;
  @Field(() => BusinessUnitType) type!: BusinessUnitType;
  @Field(() => UnitStatus) status!: UnitStatus;
}
