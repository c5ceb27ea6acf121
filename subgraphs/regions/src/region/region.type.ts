import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum VillageKind {
  DESA = 'DESA',
  KELURAHAN = 'KELURAHAN',
  DESA_ADAT = 'DESA_ADAT',
}
registerEnumType(VillageKind, {
  name: 'VillageKind',
  description: 'Desa (village), kelurahan (urban ward) or desa adat (customary village), from the 7th code digit (2, 1, 3).',
});

export enum RegencyType {
  KABUPATEN = 'KABUPATEN',
  KOTA = 'KOTA',
}
registerEnumType(RegencyType, { name: 'RegencyType', description: 'Kabupaten (regency) or kota (city): codes 01-69 and 71-99.' });

export enum RegionLevel {
  PROVINCE = 'PROVINCE',
  REGENCY = 'REGENCY',
  DISTRICT = 'DISTRICT',
  VILLAGE = 'VILLAGE',
}
registerEnumType(RegionLevel, { name: 'RegionLevel' });

@ObjectType({ description: 'A province (provinsi), keyed by its 2-digit Kemendagri code.' })
@Directive('@key(fields: "code")')
export class Province {
  @Field(() => ID, { description: 'Kemendagri code, e.g. "35".' }) code!: string;
  @Field(() => String) name!: string;
}

@ObjectType({ description: 'A regency (kabupaten) or city (kota), keyed by its dotted code.' })
@Directive('@key(fields: "code")')
export class Regency {
  @Field(() => ID, { description: 'Dotted Kemendagri code, e.g. "35.14".' }) code!: string;
  @Field(() => String) name!: string;
  provinceCode!: string;
}

@ObjectType({ description: 'A district (kecamatan).' })
@Directive('@key(fields: "code")')
export class District {
  @Field(() => ID, { description: 'Dotted Kemendagri code, e.g. "35.14.14".' }) code!: string;
  @Field(() => String) name!: string;
  regencyCode!: string;
  provinceCode!: string;
}

@ObjectType({ description: 'A village (desa) or urban ward (kelurahan). Names repeat across Indonesia: identify by code.' })
@Directive('@key(fields: "code")')
export class Village {
  @Field(() => ID, { description: 'Dotted Kemendagri code, e.g. "35.14.14.2001".' }) code!: string;
  @Field(() => String) name!: string;
  @Field(() => VillageKind) kind!: VillageKind;
  districtCode!: string;
  regencyCode!: string;
  provinceCode!: string;
}

@ObjectType({ description: 'A region found by name, with its full path to tell same-named places apart.' })
export class RegionHit {
  @Field(() => ID) code!: string;
  @Field(() => String) name!: string;
  @Field(() => RegionLevel) level!: RegionLevel;
  @Field(() => String, { description: 'Name with its parents, e.g. "Sidomulyo, Kec. Wonorejo, Kabupaten Pasuruan, Jawa Timur".' }) path!: string;
}

@ObjectType({ description: 'How many regions of each level lie in this region.' })
export class RegionCounts {
  @Field(() => Int) regencies!: number;
  @Field(() => Int) districts!: number;
  @Field(() => Int) villages!: number;
  @Field(() => Int) desa!: number;
  @Field(() => Int) kelurahan!: number;
}
