import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { figureField, ListSize, SUPPRESSED_FIELD, SuppressedFigure } from '@kopdes/kit';

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

@ObjectType({
  description:
    "Komdigi figures for a region from each village's latest survey, computed in the database. Synthetic development data. For the public, a figure covering too few villages or cooperatives is null (see suppressed).",
})
export class DigitalAggregate {
  @Field(() => Date, { description: 'When the newest record behind these figures was updated.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Int, figureField('Villages surveyed at least once.')) villagesSurveyed!: number | null;
  @Field(() => Int, figureField('Surveyed villages without mobile signal (signal NONE).')) blankSpotVillages!: number | null;
  @Field(() => Float, figureField('Share of surveyed villages with 4G or 5G, 0..1; null when none was surveyed.')) share4gOrBetter!: number | null;
  @Field(() => Int, figureField('Surveyed villages reached by fiber.')) fiberVillages!: number | null;
  @Field(() => Int, figureField('Cooperatives onboarded to SIMKOPDES.')) onboardedCooperatives!: number | null;
  @Field(() => Int, figureField('Cooperatives accepting digital payments.')) digitalPaymentCooperatives!: number | null;
  @ListSize(10) @Field(() => [SuppressedFigure], SUPPRESSED_FIELD) suppressed!: SuppressedFigure[];
}
