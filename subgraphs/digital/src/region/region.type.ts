import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';

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

@ObjectType({ description: 'Komdigi figures for a region from each village\'s latest survey, computed in the database. Synthetic development data.' })
export class DigitalAggregate {
  @Field(() => Date, { description: 'When the newest record behind these figures was updated.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Int, { description: 'Villages surveyed at least once.' }) villagesSurveyed!: number;
  @Field(() => Int, { description: 'Surveyed villages without mobile signal (signal NONE).' }) blankSpotVillages!: number;
  @Field(() => Float, { nullable: true, description: 'Share of surveyed villages with 4G or 5G, 0..1; null when none was surveyed.' }) share4gOrBetter!: number | null;
  @Field(() => Int, { description: 'Surveyed villages reached by fiber.' }) fiberVillages!: number;
  @Field(() => Int, { description: 'Cooperatives onboarded to SIMKOPDES.' }) onboardedCooperatives!: number;
  @Field(() => Int, { description: 'Cooperatives accepting digital payments.' }) digitalPaymentCooperatives!: number;
}
