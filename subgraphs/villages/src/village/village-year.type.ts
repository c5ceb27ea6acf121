import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Rupiah } from '@kopdes/kit';
import { DevelopmentStatus, Village } from './village-development.type';

@ObjectType({ description: 'What Kemendes PDT holds on a village for one year: its Indeks Desa category and score, and its Dana Desa ceiling.' })
export class VillageYear {
  @Field(() => Village) village!: Village;
  @Field(() => Int) year!: number;
  @Field(() => DevelopmentStatus, { nullable: true, description: 'Null when the village was not classified that year (kelurahan never are).' })
  status!: DevelopmentStatus | null;
  @Field(() => Float, { nullable: true, description: 'Indeks Desa score, 0 to 1; null when unclassified.' }) score!: number | null;
  @Field(() => Rupiah, { nullable: true, description: 'Dana Desa ceiling in whole rupiah; null for a kelurahan or when not set.' }) danaDesaCeiling!:
    bigint | null;
  @Field(() => Date, { description: 'When this record was last changed.' }) asOf!: Date;
}
