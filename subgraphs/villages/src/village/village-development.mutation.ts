import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { idempotentWrite, normalizeRegionCode, ruleViolation, type SubgraphContext } from '@kopdes/kit';
import type { VillagesDb, Tx } from '../db';
import type { Prisma } from '../generated/prisma/client';
import type { VillagesLoaders } from '../loaders';
import { SetDanaDesaCeilingInput, SetDevelopmentStatusInput } from './village-development.input';
import { checkClassifiable, checkDanaDesa, checkScore, checkYear, currentYear } from './village-development.rules';
import { VillageYear } from './village-year.type';

type Context = SubgraphContext<VillagesDb, VillagesLoaders>;
type Row = Prisma.VillageYearGetPayload<object>;

const IDEMPOTENCY = { description: 'Any unique string (a UUID works); retrying with the same key applies the write once.' };

/** Kemendes PDT knows the villages it holds years for; returns the village's kind and regions. */
async function knownVillage(tx: Tx, villageCode: string) {
  const code = normalizeRegionCode(villageCode, 'villageCode', 'VILLAGE');
  const any = await tx.villageYear.findFirst({ where: { villageCode: code }, orderBy: { year: 'desc' } });
  if (!any) throw ruleViolation('unknown_village', `Kemendes PDT has no record of village ${code}; check the Kemendagri code (e.g. "35.14.01.2001").`);
  return any;
}

/** Writes some of a village's figures for a year, creating the year's record when there is none. */
async function writeYear(tx: Tx, village: Row, year: number, data: Pick<Prisma.VillageYearUncheckedCreateInput, 'status' | 'score' | 'danaDesaCeiling'>) {
  const key = { villageCode: village.villageCode, year };
  const before = await tx.villageYear.findUnique({ where: { villageCode_year: key } });
  const updatedAt = new Date();
  const after = before
    ? await tx.villageYear.update({ where: { villageCode_year: key }, data: { ...data, updatedAt } })
    : await tx.villageYear.create({
        data: {
          ...key,
          kind: village.kind,
          districtCode: village.districtCode,
          regencyCode: village.regencyCode,
          provinceCode: village.provinceCode,
          ...data,
          updatedAt,
        },
      });
  return { entityId: `${village.villageCode}/${year}`, before, after };
}

async function load(tx: Tx, entityId: string): Promise<VillageYear> {
  const [villageCode = '', year = ''] = entityId.split('/');
  const row = await tx.villageYear.findUniqueOrThrow({ where: { villageCode_year: { villageCode, year: Number(year) } } });
  return {
    village: { code: row.villageCode },
    year: row.year,
    status: row.status,
    score: row.score,
    danaDesaCeiling: row.danaDesaCeiling,
    asOf: row.updatedAt,
  };
}

/** Kemendes PDT's writes, one village and year at a time: validated, idempotent, audited, all-or-nothing. */
@Resolver(() => VillageYear)
export class VillageDevelopmentMutationResolver {
  @Mutation(() => VillageYear, { description: "Sets a desa's Indeks Desa category and score for a year; the score must lie in the category's band." })
  setDevelopmentStatus(
    @Arg('input', () => SetDevelopmentStatusInput) input: SetDevelopmentStatusInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<VillageYear> {
    return idempotentWrite(
      context,
      { operation: 'setDevelopmentStatus', entity: 'VillageYear', idempotencyKey, input },
      async (tx) => {
        const village = await knownVillage(tx, input.villageCode);
        checkClassifiable(village.villageCode, village.kind);
        checkYear(input.year, currentYear(), 'Indeks Desa');
        checkScore(input.status, input.score);
        return writeYear(tx, village, input.year, { status: input.status, score: input.score });
      },
      load,
    );
  }

  @Mutation(() => VillageYear, { description: "Sets a desa's Dana Desa ceiling (pagu) for a budget year; a kelurahan has none." })
  setDanaDesaCeiling(
    @Arg('input', () => SetDanaDesaCeilingInput) input: SetDanaDesaCeilingInput,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey: string,
    @Ctx() context: Context,
  ): Promise<VillageYear> {
    return idempotentWrite(
      context,
      { operation: 'setDanaDesaCeiling', entity: 'VillageYear', idempotencyKey, input },
      async (tx) => {
        const village = await knownVillage(tx, input.villageCode);
        // Next year's ceilings are set in this year's state budget.
        checkYear(input.year, currentYear() + 1, 'Dana Desa');
        checkDanaDesa(village.villageCode, village.kind, input.ceiling);
        return writeYear(tx, village, input.year, { danaDesaCeiling: input.ceiling });
      },
      load,
    );
  }
}
