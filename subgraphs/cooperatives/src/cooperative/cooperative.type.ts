import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, figureField, ListSize, Personal, SUPPRESSED_FIELD, SuppressedFigure } from '@kopdes/kit';
import { BoardRole, BusinessUnitType, CooperativeKind, FormationPath, LifecycleStage, UnitStatus } from '../generated/prisma/enums';

registerEnumType(CooperativeKind, {
  name: 'CooperativeKind',
  description: 'KDMP: Koperasi Desa Merah Putih (in a desa); KKMP: Koperasi Kelurahan Merah Putih (in a kelurahan).',
});
registerEnumType(FormationPath, { name: 'FormationPath', description: 'New, revitalised (an existing cooperative converted) or developed.' });
registerEnumType(LifecycleStage, {
  name: 'LifecycleStage',
  description: 'Furthest step reached: musdesus → notary deed → AHU decree → NIK koperasi → NIB → NPWP → bank account → SIMKOPDES → operating.',
});
registerEnumType(BusinessUnitType, { name: 'BusinessUnitType' });
registerEnumType(UnitStatus, { name: 'UnitStatus' });
registerEnumType(BoardRole, { name: 'BoardRole' });

export { BoardRole, BusinessUnitType, CooperativeKind, FormationPath, LifecycleStage, UnitStatus };

@ObjectType({ description: 'A village or urban ward (owned by the regions subgraph); the registry adds its cooperatives.' })
@Directive('@key(fields: "code")')
export class Village {
  @Field(() => ID) code!: string;
}

@ObjectType({ description: 'Where a slice of data comes from and how fresh it is.' })
export class Provenance {
  @Field(() => Date, { description: 'When this data was last updated.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Boolean, { description: 'True when the data is generated for development, not real records.' }) synthetic!: boolean;
}

@ObjectType({ description: 'A Koperasi Desa/Kelurahan Merah Putih in the Kemenkop registry (SIMKOPDES).' })
@Directive('@key(fields: "id")')
export class Cooperative {
  @Field(() => ID, { description: 'Opaque registry id, e.g. "KDMP-35.14.01.2001".' }) id!: string;
  @Field(() => String) name!: string;
  @Field(() => CooperativeKind) kind!: CooperativeKind;
  @Field(() => FormationPath) formation!: FormationPath;
  @Field(() => LifecycleStage) stage!: LifecycleStage;
  @Field(() => Date, { description: 'Date of the village special meeting (musdesus) that founded it.' }) musdesusDate!: Date;
  @Field(() => String, { nullable: true, description: 'Kemenkum AHU decree number, e.g. "AHU-0025573.AH.01.29.TAHUN 2025".' }) ahuDecreeNumber!: string | null;
  @Field(() => Date, { nullable: true }) ahuDecreeDate!: Date | null;
  @Field(() => String, { nullable: true, description: '16-digit NIK koperasi (Kemenkop).' }) nikKoperasi!: string | null;
  @Field(() => String, { nullable: true, description: 'Business identification number (OSS).' }) nib!: string | null;
  @Field(() => String, { nullable: true, description: 'Tax number.' }) npwp!: string | null;
  @Field(() => Int, { description: 'Number of members.' }) members!: number;
  villageCode!: string;
  updatedAt!: Date;
  units!: unknown;
}

@ObjectType({ description: 'A board or supervisory board member. Personal data: every read is on the access record.' })
@Personal()
export class BoardMember {
  @Field(() => BoardRole) role!: BoardRole;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Personal identity number (NIK).' }) nik!: string;
  @Field(() => Boolean, { description: 'Holds the seat ex officio (the village head chairs the supervisors of a KDMP).' }) exOfficio!: boolean;
}

@ObjectType()
export class BusinessUnit {
  @Field(() => BusinessUnitType) type!: BusinessUnitType;
  @Field(() => UnitStatus) status!: UnitStatus;
}

@InputType({ description: 'All given conditions must hold.' })
export class CooperativeFilter {
  @Field(() => String, { nullable: true, description: 'Region code prefix: "35", "35.14", "35.14.14" or a village code (dots optional).' })
  regionCode?: string;
  @Field(() => CooperativeKind, { nullable: true }) kind?: CooperativeKind;
  @Field(() => [LifecycleStage], { nullable: true, description: 'Any of these stages.' }) stages?: LifecycleStage[];
  @Field(() => LifecycleStage, { nullable: true, description: 'This stage or any later one.' }) stageAtLeast?: LifecycleStage;
  @Field(() => BusinessUnitType, { nullable: true, description: 'Runs or plans a unit of this type.' }) businessUnit?: BusinessUnitType;
  @Field(() => [UnitStatus], { nullable: true, description: 'With businessUnit: the unit is in one of these statuses.' }) businessUnitStatus?: UnitStatus[];
  @Field(() => [ID], { nullable: true, description: "Only these cooperatives (at most 5,000): to intersect with another ministry's selection." })
  ids?: string[];
}

export const CooperativeConnection = ConnectionType(Cooperative, 'Cooperative');

@ObjectType({ description: 'How many cooperatives reached a stage.' })
export class StageCount {
  @Field(() => LifecycleStage) stage!: LifecycleStage;
  @Field(() => Int) count!: number;
}

@ObjectType({
  description: 'Registry figures for a region, computed in the database. For the public, a figure covering too few cooperatives is null (see suppressed).',
})
export class RegistryAggregate {
  @Field(() => Int, figureField()) cooperatives!: number | null;
  @Field(() => Int, figureField()) kdmp!: number | null;
  @Field(() => Int, figureField()) kkmp!: number | null;
  @Field(() => Int, figureField('Holding an AHU decree (legal entity).')) legalEntities!: number | null;
  @Field(() => Int, figureField('Holding every registry precondition for a bank loan: decree, NIK koperasi, NIB, NPWP, bank account, SIMKOPDES.')) loanReady!:
    number | null;
  @Field(() => Int, figureField()) operating!: number | null;
  @Field(() => Int, figureField()) members!: number | null;
  @ListSize(10) @Field(() => [StageCount], figureField()) byStage!: StageCount[] | null;
  @Field(() => Provenance) provenance!: Provenance;
  @ListSize(10) @Field(() => [SuppressedFigure], SUPPRESSED_FIELD) suppressed!: SuppressedFigure[];
}

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
