import { Field, ID, InputType } from 'type-graphql';
import { DevelopmentStatus, PilotModel } from './pilot-site.type';

@InputType({ description: 'A cooperative chosen as a pilot site, with the region category it stands for.' })
export class RegisterPilotSiteInput {
  @Field(() => ID, { description: 'Registry cooperative id, e.g. "KDMP-35.14.09.2019".' }) cooperativeId!: string;
  @Field(() => String, { description: 'The cooperative\'s village or urban ward code, e.g. "35.14.09.2019".' }) villageCode!: string;
  @Field(() => PilotModel) model!: PilotModel;
  @Field(() => DevelopmentStatus, {
    nullable: true,
    description: "The village's Indeks Desa status when selected; omit for a kelurahan or an unclassified desa.",
  })
  developmentStatus?: DevelopmentStatus;
  @Field(() => Boolean, { defaultValue: false, description: 'In a frontier, outermost or disadvantaged (3T) area.' }) area3T!: boolean;
  @Field(() => Boolean, { defaultValue: false }) outermostSmallIsland!: boolean;
  @Field(() => String, { description: 'Day the Task Force selected the site, YYYY-MM-DD, not in the future.' }) selectedOn!: string;
}
