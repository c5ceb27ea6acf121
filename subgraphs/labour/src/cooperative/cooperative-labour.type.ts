import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PersonRole, TrainingProvider } from '../generated/prisma/enums';
import { ListSize } from '@kopdes/kit';

registerEnumType(PersonRole, { name: 'LabourPersonRole', description: 'Whether the trained person sits on the board or is employed staff.' });
registerEnumType(TrainingProvider, {
  name: 'LabourTrainingProvider',
  description: 'BPVP: Kemnaker vocational training centre (21); BLK: regional vocational training centre (~286); KEMENKOP: Ministry of Cooperatives training.',
});

export { PersonRole, TrainingProvider };

// Owned by the cooperatives subgraph; labour adds its workforce. No description: the owner's wins in composition.
@ObjectType()
@Directive('@key(fields: "id")')
export class Cooperative {
  @Field(() => ID) id!: string;
}

@ObjectType({ description: "One person's training (counts and records only: no names or NIKs)." })
export class LabourTraining {
  @Field(() => PersonRole) role!: PersonRole;
  @Field(() => String, { description: 'Training programme, e.g. "Tata kelola koperasi".' }) programme!: string;
  @Field(() => TrainingProvider) provider!: TrainingProvider;
  @Field(() => Date) trainedOn!: Date;
  @Field(() => Boolean, { description: 'The training ended in a competence certificate.' }) certified!: boolean;
}

@ObjectType({ description: 'A hiring event: how many people started on a date.' })
export class LabourHire {
  @Field(() => Date) hiredOn!: Date;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Kemnaker workforce figures for one cooperative (target: 20–25 employees).' })
export class CooperativeLabour {
  cooperativeId!: string;
  @Field(() => Date, { description: 'Date of the workforce report; 1970-01-01 when none is on file.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Int, { description: 'People employed at the report date.' }) employees!: number;
  @Field(() => Int, { description: 'People hired in the 12 months before asOf.' }) hires!: number;
  @Field(() => Int, { description: 'Board members with a training record.' }) trainedBoardMembers!: number;
  @Field(() => Int, { description: 'Staff training records that ended in a certificate.' }) certifiedStaff!: number;
  @Field(() => Boolean, { description: 'Employs at least 20 people (the programme target is 20–25 per cooperative).' }) meetsTarget!: boolean;
  @ListSize(5) @Field(() => [LabourTraining], { description: 'Training records of board members and staff, oldest first.' }) trainings!: LabourTraining[];
  @ListSize(5) @Field(() => [LabourHire], { description: 'Hiring events (date and number of people), newest first.' }) hireRecords!: LabourHire[];
}
