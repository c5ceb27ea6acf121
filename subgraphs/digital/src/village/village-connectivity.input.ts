import { Field, Float, InputType } from 'type-graphql';
import { SignalLevel } from './village.type';

@InputType({ description: "One connectivity survey of a village; the latest survey is the village's current connectivity." })
export class RecordConnectivitySurveyInput {
  @Field(() => String, { description: 'Village or urban ward code, e.g. "35.14.01.2001" (dots optional).' }) villageCode!: string;
  @Field(() => String, { description: "Survey date, YYYY-MM-DD: not in the future, not before the village's previous survey." }) surveyedOn!: string;
  @Field(() => SignalLevel, { description: 'Best mobile signal; NONE for a blank spot.' }) signal!: SignalLevel;
  @Field(() => Boolean, { description: 'A fiber-optic access point reaches the village.' }) fiber!: boolean;
  @Field(() => Float, { nullable: true, description: 'Best measured download speed in Mbps (0 or more); leave it out when there is no signal and no fiber.' })
  downloadMbps?: number | null;
}
