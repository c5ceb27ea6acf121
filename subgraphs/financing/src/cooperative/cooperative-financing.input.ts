import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'What the bank has on file for a cooperative beyond the registry (PMK 49/2025); omitted fields stay as they are.' })
export class SetFinancingPreconditionsInput {
  @Field(() => ID) cooperativeId!: string;
  @Field(() => Boolean, { nullable: true, description: 'A business proposal is on file with the bank.' }) businessProposal?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'The village head (lurah for a kelurahan) approved the application.' }) villageHeadApproval?:
    boolean | null;
}
