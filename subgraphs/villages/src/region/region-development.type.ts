import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Rupiah } from '@kopdes/kit';

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

@ObjectType({ description: 'Villages per Indeks Desa category and the Dana Desa total for a region and year, computed in the database.' })
export class DevelopmentAggregate {
  @Field(() => Date) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Int) year!: number;
  @Field(() => Int) mandiri!: number;
  @Field(() => Int) maju!: number;
  @Field(() => Int) berkembang!: number;
  @Field(() => Int) tertinggal!: number;
  @Field(() => Int) sangatTertinggal!: number;
  @Field(() => Int, { description: 'Villages without a category that year, kelurahan included (they are never classified): the six counts add up to every village of the region.' })
  unclassified!: number;
  @Field(() => Rupiah, { description: 'Sum of the Dana Desa ceilings of the region\'s desa that year.' }) danaDesaTotal!: bigint;
}
