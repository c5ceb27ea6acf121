import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One of the four regions the Kopdes Merah Putih Task Force divides Indonesia into, each with a regional lead.' })
export class TaskForceRegion {
  @Field(() => ID, { description: '"I", "II", "III" or "IV".' }) code!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The provinces it covers, in words, e.g. "East Java, Bali, West Nusa Tenggara, East Nusa Tenggara".' }) coverage!: string;
  @Field(() => String, { nullable: true, description: 'The official leading the region; null until the secretariat records one.' }) lead!: string | null;
  provinceCodes!: string[];
}
