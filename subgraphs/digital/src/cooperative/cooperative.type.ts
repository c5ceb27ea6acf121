import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Entity owned by the cooperatives subgraph; Komdigi adds its digital namespace.
@ObjectType()
@Directive('@key(fields: "id")')
export class Cooperative {
  @Field(() => ID) id!: string;
}

@ObjectType({ description: "A cooperative's onboarding to the digital platform. Synthetic development data." })
export class CooperativeDigital {
  @Field(() => Date, { description: 'When this data was last updated.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Boolean, { description: 'Has a SIMKOPDES platform account (required before a loan application).' }) onboarded!: boolean;
  @Field(() => Boolean, { description: 'Accepts digital payments (QRIS, bank transfer).' }) digitalPayments!: boolean;
  @Field(() => Date, { nullable: true, description: 'When it was onboarded; null when not (yet).' }) onboardedOn!: Date | null;
}
