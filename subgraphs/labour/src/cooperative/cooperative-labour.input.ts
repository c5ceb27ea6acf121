import { Field, ID, InputType, Int } from 'type-graphql';
import { PersonRole, TrainingProvider } from './cooperative-labour.type';

@InputType({ description: 'People who started work at a cooperative on one day; they join its employees.' })
export class RecordHiresInput {
  @Field(() => ID, { description: 'Registry cooperative id, e.g. "KDMP-35.14.01.2001".' }) cooperativeId!: string;
  @Field(() => String, { description: 'The day they started, YYYY-MM-DD, not in the future.' }) hiredOn!: string;
  @Field(() => Int, { description: 'How many people started: 1 to 500.' }) count!: number;
}

@InputType({ description: "One person's training (no names or NIKs)." })
export class RecordTrainingInput {
  @Field(() => ID, { description: 'Registry cooperative id, e.g. "KDMP-35.14.01.2001".' }) cooperativeId!: string;
  @Field(() => PersonRole) role!: PersonRole;
  @Field(() => String, { description: 'Training programme, e.g. "Tata kelola koperasi".' }) programme!: string;
  @Field(() => TrainingProvider) provider!: TrainingProvider;
  @Field(() => String, { description: 'When the training ended, YYYY-MM-DD, not in the future.' }) trainedOn!: string;
  @Field(() => Boolean, { description: 'The training ended in a competence certificate.' }) certified!: boolean;
}

@InputType({ description: 'A workforce report: how many people the cooperative employs now.' })
export class SetWorkforceInput {
  @Field(() => ID, { description: 'Registry cooperative id, e.g. "KDMP-35.14.01.2001".' }) cooperativeId!: string;
  @Field(() => Int, { description: 'People employed: 0 to 1,000.' }) employees!: number;
}
