import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AgencyKind, AgencyParticipation } from '../generated/prisma/enums';

registerEnumType(AgencyKind, { name: 'AgencyKind', description: 'MINISTRY (including coordinating ministries) or non-ministerial AGENCY.' });
registerEnumType(AgencyParticipation, {
  name: 'AgencyParticipation',
  description:
    'INPRES_9_2025: one of the sixteen addressed by Inpres 9/2025 (the Task Force); AGREEMENT: takes part through an agreement (ESDM, Kemnaker); CONVENER: LAN, who convenes the pilot model and the dashboard.',
});

export { AgencyKind, AgencyParticipation };

@ObjectType({ description: 'A ministry or agency of the Kopdes Merah Putih collaboration.' })
@Directive('@key(fields: "code")')
export class Agency {
  @Field(() => ID, { description: 'Short code, e.g. "ESDM", "KEMENKOP".' }) code!: string;
  @Field(() => String, { description: 'Name in English, e.g. "Ministry of Cooperatives".' }) name!: string;
  @Field(() => String, { description: 'Name as commonly written in Indonesia, e.g. "Kemenkop".' }) shortName!: string;
  @Field(() => AgencyKind) kind!: AgencyKind;
  @Field(() => Boolean, { description: 'Addressed by Inpres 9/2025 and so a member of the Task Force (Keppres 9/2025).' }) taskForceMember!: boolean;
  @Field(() => AgencyParticipation) participation!: AgencyParticipation;
  @Field(() => String, {
    nullable: true,
    description:
      'The subgraph whose data this agency owns ("energy", "cooperatives", "financing", "digital", "labour", "villages", "regions", "collaboration"); null when none.',
  })
  dataSubgraph!: string | null;
}
