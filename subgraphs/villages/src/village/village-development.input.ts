import { Field, Float, InputType, Int } from 'type-graphql';
import { Rupiah } from '@kopdes/kit';
import { DevelopmentStatus } from './village-development.type';

@InputType({ description: "A desa's Indeks Desa category and score for one year (kelurahan are not classified)." })
export class SetDevelopmentStatusInput {
  @Field(() => String, { description: 'Village code, e.g. "35.14.01.2001" (dots optional).' }) villageCode!: string;
  @Field(() => Int, { description: 'Indeks Desa year: 2015 to the current year.' }) year!: number;
  @Field(() => DevelopmentStatus) status!: DevelopmentStatus;
  @Field(() => Float, { description: "Indeks Desa score, 0 to 1, inside the status's band (e.g. MAJU: 0.7072 up to 0.8155)." }) score!: number;
}

@InputType({ description: "A desa's Dana Desa ceiling (pagu) for one year (kelurahan are funded through DAU/DBH instead)." })
export class SetDanaDesaCeilingInput {
  @Field(() => String, { description: 'Village code, e.g. "35.14.01.2001" (dots optional).' }) villageCode!: string;
  @Field(() => Int, { description: 'Budget year: 2015 (the first Dana Desa) to next year (ceilings are set in the budget the year before).' }) year!: number;
  @Field(() => Rupiah, { description: 'Ceiling in whole rupiah: more than 0, at most Rp 5,000,000,000.' }) ceiling!: bigint;
}
