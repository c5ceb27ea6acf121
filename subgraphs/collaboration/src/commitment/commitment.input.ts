import { Field, ID, InputType } from 'type-graphql';
import { Indicator } from '../indicator/indicator.type';

@InputType({ description: 'A commitment an agency makes for a province, recorded by the Task Force secretariat.' })
export class CreateCommitmentInput {
  @Field(() => ID, { description: 'Agency code, e.g. "ESDM". It must own the indicator\'s data (see Agency.indicators).' }) agency!: string;
  @Field(() => String, { description: 'Province code, e.g. "35" (nationwide commitments are recorded per province).' }) province!: string;
  @Field(() => Indicator) indicator!: Indicator;
  @Field(() => String, {
    description:
      'Level to reach by dueDate, more than 0 and more than baseline: a decimal string in the indicator\'s unit, whole except kWp (two decimals), e.g. "500".',
  })
  target!: string;
  @Field(() => String, { nullable: true, description: 'The indicator\'s level at startDate, same format; "0" when omitted.' }) baseline?: string;
  @Field(() => String, { description: 'YYYY-MM-DD.' }) startDate!: string;
  @Field(() => String, { description: 'Last day to reach the target, YYYY-MM-DD, after startDate.' }) dueDate!: string;
}

@InputType({ description: 'A new target for a commitment, with the reason the secretariat records for it.' })
export class UpdateCommitmentTargetInput {
  @Field(() => ID) commitmentId!: string;
  @Field(() => String, { description: 'The new level to reach, same format as CreateCommitmentInput.target.' }) target!: string;
  @Field(() => String, { description: 'Why the target changes (at least 10 characters); kept with the revision and in the audit log.' }) reason!: string;
}
