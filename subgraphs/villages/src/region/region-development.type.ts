import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { figureField, ListSize, Rupiah, SUPPRESSED_FIELD, SuppressedFigure } from '@kopdes/kit';

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
    'Villages per Indeks Desa category and the Dana Desa total for a region and year, computed in the database. For the public, a figure covering too few villages is null (see suppressed).',
})
export class DevelopmentAggregate {
  @Field(() => Date) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Int) year!: number;
  @Field(() => Int, figureField()) mandiri!: number | null;
  @Field(() => Int, figureField()) maju!: number | null;
  @Field(() => Int, figureField()) berkembang!: number | null;
  @Field(() => Int, figureField()) tertinggal!: number | null;
  @Field(() => Int, figureField()) sangatTertinggal!: number | null;
  @Field(
    () => Int,
    figureField('Villages without a category that year, kelurahan included (they are never classified): the six counts add up to every village of the region.'),
  )
  unclassified!: number | null;
  @Field(() => Rupiah, figureField("Sum of the Dana Desa ceilings of the region's desa that year.")) danaDesaTotal!: bigint | null;
  @ListSize(10) @Field(() => [SuppressedFigure], SUPPRESSED_FIELD) suppressed!: SuppressedFigure[];
}
