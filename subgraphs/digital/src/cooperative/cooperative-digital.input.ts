import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: "A cooperative's onboarding to the digital platform (SIMKOPDES) and digital payments." })
export class SetPlatformOnboardingInput {
  @Field(() => ID, { description: 'Registry cooperative id, e.g. "KDMP-35.14.01.2001".' }) cooperativeId!: string;
  @Field(() => Boolean, { description: 'Has a SIMKOPDES platform account.' }) onboarded!: boolean;
  @Field(() => Boolean, { description: 'Accepts digital payments (QRIS, bank transfer); needs onboarded.' }) digitalPayments!: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'When it was onboarded, YYYY-MM-DD, not in the future: needed when onboarded (unless already recorded), left out when not.',
  })
  onboardedOn?: string | null;
}
