import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ListSize, Rupiah } from '@kopdes/kit';
import { DevelopmentStatus } from '../generated/prisma/enums';

registerEnumType(DevelopmentStatus, {
  name: 'DevelopmentStatus',
  description: 'Indeks Desa category (Kemendes PDT), most to least developed: MANDIRI, MAJU, BERKEMBANG, TERTINGGAL, SANGAT_TERTINGGAL.',
});

export { DevelopmentStatus };

// Owned by the regions subgraph; Kemendes PDT adds development status and Dana Desa. No description: the owner's wins in composition.
@ObjectType()
@Directive('@key(fields: "code")')
export class Village {
  @Field(() => ID) code!: string;
}

@ObjectType({ description: "A village's Indeks Desa category and score in one year." })
export class VillageDevelopmentYear {
  @Field(() => Int) year!: number;
  @Field(() => DevelopmentStatus) status!: DevelopmentStatus;
  @Field(() => Float, { description: 'Indeks Desa score, 0 to 1.' }) score!: number;
}

@ObjectType({ description: 'Village development status (Indeks Desa, Kemendes PDT) in the latest year, with earlier years.' })
export class VillageDevelopment {
  @Field(() => Date, { description: "When this year's Indeks Desa was published." }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Int) year!: number;
  @Field(() => DevelopmentStatus) status!: DevelopmentStatus;
  @Field(() => Float, { description: 'Indeks Desa score, 0 to 1.' }) score!: number;
  @ListSize(5)
  @Field(() => [VillageDevelopmentYear], { description: 'Every year the village was classified, oldest first (includes this year).' })
  history!: VillageDevelopmentYear[];
}

@ObjectType({ description: "A village's Dana Desa ceiling (pagu) for one year." })
export class DanaDesa {
  @Field(() => Date, { description: "When this year's ceilings were published." }) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Int) year!: number;
  @Field(() => Rupiah, { description: 'Ceiling in whole rupiah.' }) ceiling!: bigint;
}
