import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { SignalLevel } from '../generated/prisma/enums';

registerEnumType(SignalLevel, {
  name: 'SignalLevel',
  description: 'Best mobile signal, weakest to strongest (GraphQL names cannot start with a digit, hence G4 for 4G).',
  valuesConfig: {
    NONE: { description: 'No mobile signal: a blank spot.' },
    G2: { description: '2G' },
    G3: { description: '3G' },
    G4: { description: '4G / LTE' },
    G5: { description: '5G' },
  },
});

export { SignalLevel };

// Entity owned by the regions subgraph; Komdigi adds its connectivity.
@ObjectType()
@Directive('@key(fields: "code")')
export class Village {
  @Field(() => ID) code!: string;
}

@ObjectType({ description: 'Connectivity of a village from its latest survey. Synthetic development data.' })
export class VillageConnectivity {
  @Field(() => Date, { description: 'When this data was last updated (the latest survey).' }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => SignalLevel, { description: 'Best mobile signal; NONE is a blank spot.' }) signal!: SignalLevel;
  @Field(() => Boolean, { description: 'A fiber-optic access point reaches the village.' }) fiber!: boolean;
  @Field(() => Float, { nullable: true, description: 'Best measured download speed in Mbps; null when there is no service to measure.' }) downloadMbps!:
    number | null;
  @Field(() => Date, { description: 'Date of the latest survey.' }) surveyedOn!: Date;
}
