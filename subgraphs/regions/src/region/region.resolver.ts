import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, ListSize, normalizeRegionCode, PagedBy, type SubgraphContext } from '@kopdes/kit';
import type { RegionsDb } from '../db';
import type { RegionLoaders } from './region.loaders';
import { District, Province, Regency, RegencyType, RegionCounts, RegionHit, RegionLevel, Village } from './region.type';

type Context = SubgraphContext<RegionsDb, RegionLoaders>;

const MAX_SEARCH = 100;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

@Resolver()
export class RegionQueryResolver {
  @ListSize(38)
  @Query(() => [Province], { description: 'All 38 provinces, by code.' })
  provinces(@Ctx() { prisma }: Context): Promise<Province[]> {
    return prisma.province.findMany({ orderBy: { code: 'asc' } });
  }

  @Query(() => Province, { nullable: true, description: 'A province by code ("35"); null when no province has that code.' })
  province(@Arg('code', () => ID) code: string, @Ctx() { loaders }: Context) {
    return loaders.province.load(normalizeRegionCode(code, 'code', 'PROVINCE'));
  }

  @Query(() => Regency, { nullable: true, description: 'A regency or city by code ("35.14" or "3514").' })
  regency(@Arg('code', () => ID) code: string, @Ctx() { loaders }: Context) {
    return loaders.regency.load(normalizeRegionCode(code, 'code', 'REGENCY'));
  }

  @Query(() => District, { nullable: true, description: 'A district by code ("35.14.14" or "351414").' })
  district(@Arg('code', () => ID) code: string, @Ctx() { loaders }: Context) {
    return loaders.district.load(normalizeRegionCode(code, 'code', 'DISTRICT'));
  }

  @Query(() => Village, { nullable: true, description: 'A village or urban ward by code ("35.14.14.2001" or "3514142001").' })
  village(@Arg('code', () => ID) code: string, @Ctx() { loaders }: Context) {
    return loaders.village.load(normalizeRegionCode(code, 'code', 'VILLAGE'));
  }

  @PagedBy()
  @Query(() => [RegionHit], { description: 'Regions whose name contains the text (case-insensitive), optionally within a region and at one level.' })
  async searchRegions(
    @Arg('name', () => String) name: string,
    @Arg('within', () => String, { nullable: true, description: 'Region code prefix, e.g. "35" or "35.14".' }) within: string | null,
    @Arg('level', () => RegionLevel, { nullable: true }) level: RegionLevel | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() { prisma }: Context,
  ): Promise<RegionHit[]> {
    const text = name.trim();
    if (text.length < 2) throw badInput('name must have at least 2 characters.', { argument: 'name' });
    if (first < 1 || first > MAX_SEARCH) throw badInput(`first must be between 1 and ${MAX_SEARCH}.`, { argument: 'first' });
    const prefix = within ? normalizeRegionCode(within, 'within') : null;
    const levels = level ? [level] : [RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT, RegionLevel.VILLAGE];
    const parts: Record<RegionLevel, string> = {
      PROVINCE: `SELECT p.code, p.name, 'PROVINCE' AS level, p.name AS path, 1 AS rank FROM "Province" p WHERE p.name ILIKE $1`,
      REGENCY: `SELECT r.code, r.name, 'REGENCY' AS level, r.name || ', ' || p.name AS path, 2 AS rank FROM "Regency" r JOIN "Province" p ON p.code = r."provinceCode" WHERE r.name ILIKE $1`,
      DISTRICT: `SELECT d.code, d.name, 'DISTRICT' AS level, 'Kec. ' || d.name || ', ' || r.name || ', ' || p.name AS path, 3 AS rank FROM "District" d JOIN "Regency" r ON r.code = d."regencyCode" JOIN "Province" p ON p.code = d."provinceCode" WHERE d.name ILIKE $1`,
      VILLAGE: `SELECT v.code, v.name, 'VILLAGE' AS level, v.name || ', Kec. ' || d.name || ', ' || r.name || ', ' || p.name AS path, 4 AS rank FROM "Village" v JOIN "District" d ON d.code = v."districtCode" JOIN "Regency" r ON r.code = v."regencyCode" JOIN "Province" p ON p.code = v."provinceCode" WHERE v.name ILIKE $1`,
    };
    const scoped = (sql: string, alias: string) => (prefix ? `${sql} AND (${alias}.code = $2::text OR ${alias}.code LIKE $2::text || '.%')` : sql);
    const union = levels.map((l) => scoped(parts[l], l === 'PROVINCE' ? 'p' : l === 'REGENCY' ? 'r' : l === 'DISTRICT' ? 'd' : 'v')).join(' UNION ALL ');
    const params: unknown[] = [likePattern(text)];
    if (prefix) params.push(prefix);
    params.push(first);
    const rows = await prisma.$queryRawUnsafe<RegionHit[]>(
      `SELECT code, name, level, path FROM (${union}) hits ORDER BY rank, name, code LIMIT $${params.length}::int`,
      ...params,
    );
    return rows;
  }
}

@Resolver(() => Province)
export class ProvinceResolver {
  @ListSize(20)
  @FieldResolver(() => [Regency], { description: 'Regencies and cities of this province, by code.' })
  regencies(@Root() province: Province, @Ctx() { loaders }: Context) {
    return loaders.regenciesOfProvince.load(province.code);
  }

  @FieldResolver(() => RegionCounts)
  regionCounts(@Root() province: Province, @Ctx() { loaders }: Context) {
    return loaders.provinceCounts.load(province.code);
  }
}

@Resolver(() => Regency)
export class RegencyResolver {
  @FieldResolver(() => RegencyType)
  type(@Root() regency: Regency): RegencyType {
    return Number(regency.code.split('.')[1]) >= 71 ? RegencyType.KOTA : RegencyType.KABUPATEN;
  }

  @FieldResolver(() => Province)
  province(@Root() regency: Regency, @Ctx() { loaders }: Context) {
    return loaders.province.load(regency.provinceCode);
  }

  @ListSize(30)
  @FieldResolver(() => [District])
  districts(@Root() regency: Regency, @Ctx() { loaders }: Context) {
    return loaders.districtsOfRegency.load(regency.code);
  }

  @ListSize(400)
  @FieldResolver(() => [Village], { description: 'Every village and urban ward of this regency, by code.' })
  villages(@Root() regency: Regency, @Ctx() { loaders }: Context) {
    return loaders.villagesOfRegency.load(regency.code);
  }

  @FieldResolver(() => RegionCounts)
  regionCounts(@Root() regency: Regency, @Ctx() { loaders }: Context) {
    return loaders.regencyCounts.load(regency.code);
  }
}

@Resolver(() => District)
export class DistrictResolver {
  @FieldResolver(() => Regency)
  regency(@Root() district: District, @Ctx() { loaders }: Context) {
    return loaders.regency.load(district.regencyCode);
  }

  @ListSize(30)
  @FieldResolver(() => [Village])
  villages(@Root() district: District, @Ctx() { loaders }: Context) {
    return loaders.villagesOfDistrict.load(district.code);
  }
}

@Resolver(() => Village)
export class VillageResolver {
  @FieldResolver(() => District)
  district(@Root() village: Village, @Ctx() { loaders }: Context) {
    return loaders.district.load(village.districtCode);
  }

  @FieldResolver(() => Regency)
  regency(@Root() village: Village, @Ctx() { loaders }: Context) {
    return loaders.regency.load(village.regencyCode);
  }

  @FieldResolver(() => Province)
  province(@Root() village: Village, @Ctx() { loaders }: Context) {
    return loaders.province.load(village.provinceCode);
  }
}
