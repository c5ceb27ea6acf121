import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { PilotSite as PilotSiteRow } from '../generated/prisma/client';
import { ListSize } from '@kopdes/kit';
import { villageKind } from '@kopdes/kit/synthetic';
import { DevelopmentStatus, PilotModel } from '../generated/prisma/enums';

registerEnumType(DevelopmentStatus, { name: 'DevelopmentStatus' });
registerEnumType(PilotModel, { name: 'PilotModel', description: 'The pilot model a site tests, chosen by local potential.' });

export enum RegionCategory {
  DEVELOPED = 'DEVELOPED',
  DEVELOPING = 'DEVELOPING',
  DISADVANTAGED = 'DISADVANTAGED',
  URBAN_WARD = 'URBAN_WARD',
  AREA_3T = 'AREA_3T',
  OUTERMOST_SMALL_ISLAND = 'OUTERMOST_SMALL_ISLAND',
}
registerEnumType(RegionCategory, {
  name: 'RegionCategory',
  description:
    'The region category a pilot site stands for (the pilot model differs by category): DEVELOPED (desa MANDIRI or MAJU), DEVELOPING (BERKEMBANG), ' +
    'DISADVANTAGED (TERTINGGAL or SANGAT_TERTINGGAL), URBAN_WARD (a kelurahan), AREA_3T (frontier, outermost, disadvantaged area), OUTERMOST_SMALL_ISLAND.',
});

export { DevelopmentStatus, PilotModel };

// Owned by the cooperatives and regions subgraphs; pilot sites only point at them.
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Cooperative {
  @Field(() => ID) id!: string;
}

@ObjectType()
@Directive('@key(fields: "code", resolvable: false)')
export class Village {
  @Field(() => ID) code!: string;
}

@ObjectType({ description: 'A cooperative chosen by the Task Force (LAN) to test a pilot model for its region category.' })
export class PilotSite {
  @Field(() => ID, { description: 'Opaque id, e.g. "PILOT-KDMP-35.14.09.2019".' }) id!: string;
  @Field(() => PilotModel) model!: PilotModel;
  @Field(() => DevelopmentStatus, {
    nullable: true,
    description: "The village's Indeks Desa status when selected; null for a kelurahan or an unclassified desa.",
  })
  developmentStatus!: DevelopmentStatus | null;
  @Field(() => Boolean, { description: 'In a frontier, outermost or disadvantaged (3T) area.' }) area3T!: boolean;
  @Field(() => Boolean) outermostSmallIsland!: boolean;
  @ListSize(3) @Field(() => [RegionCategory], { description: 'Every category the site stands for.' }) categories!: RegionCategory[];
  @Field(() => Date) selectedOn!: Date;
  cooperativeId!: string;
  villageCode!: string;
  provinceCode!: string;
}

export function categoriesOf(site: Pick<PilotSiteRow, 'villageCode' | 'developmentStatus' | 'area3T' | 'outermostSmallIsland'>): RegionCategory[] {
  const categories: RegionCategory[] = [];
  const status = site.developmentStatus;
  if (status === 'MANDIRI' || status === 'MAJU') categories.push(RegionCategory.DEVELOPED);
  else if (status === 'BERKEMBANG') categories.push(RegionCategory.DEVELOPING);
  else if (status === 'TERTINGGAL' || status === 'SANGAT_TERTINGGAL') categories.push(RegionCategory.DISADVANTAGED);
  if (villageKind(site.villageCode) === 'KELURAHAN') categories.push(RegionCategory.URBAN_WARD);
  if (site.area3T) categories.push(RegionCategory.AREA_3T);
  if (site.outermostSmallIsland) categories.push(RegionCategory.OUTERMOST_SMALL_ISLAND);
  return categories;
}

export function toPilotSite(row: PilotSiteRow): PilotSite {
  return {
    id: row.id,
    model: row.model,
    developmentStatus: row.developmentStatus,
    area3T: row.area3T,
    outermostSmallIsland: row.outermostSmallIsland,
    categories: categoriesOf(row),
    selectedOn: row.selectedOn,
    cooperativeId: row.cooperativeId,
    villageCode: row.villageCode,
    provinceCode: row.provinceCode,
  };
}
