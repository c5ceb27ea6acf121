import type { AgencyKind, AgencyParticipation } from '../generated/prisma/enums';

export interface AgencyRow {
  code: string;
  name: string;
  shortName: string;
  kind: AgencyKind;
  taskForceMember: boolean;
  participation: AgencyParticipation;
  dataSubgraph: string | null;
}

const inpres = (code: string, name: string, shortName: string, kind: AgencyKind, dataSubgraph: string | null = null): AgencyRow => ({
  code,
  name,
  shortName,
  kind,
  taskForceMember: true,
  participation: 'INPRES_9_2025',
  dataSubgraph,
});

/**
 * The agencies of the collaboration (shared/domain.md): the sixteen addressed by Inpres 9/2025, the
 * Task Force members; ESDM and Kemnaker, who take part through agreements; and LAN, who convenes the
 * pilot model and this dashboard. `dataSubgraph` names the subgraph whose data the agency owns.
 */
export const AGENCIES: AgencyRow[] = [
  inpres('KEMENKO_PANGAN', 'Coordinating Ministry for Food', 'Kemenko Pangan', 'MINISTRY'),
  inpres('KEMENKOP', 'Ministry of Cooperatives', 'Kemenkop', 'MINISTRY', 'cooperatives'),
  inpres('KEMENDES', 'Ministry of Villages and Development of Disadvantaged Regions', 'Kemendes PDT', 'MINISTRY', 'villages'),
  inpres('KEMENKEU', 'Ministry of Finance', 'Kemenkeu', 'MINISTRY', 'financing'),
  inpres('KEMENDAGRI', 'Ministry of Home Affairs', 'Kemendagri', 'MINISTRY', 'regions'),
  inpres('KKP', 'Ministry of Marine Affairs and Fisheries', 'KKP', 'MINISTRY'),
  inpres('KEMENKES', 'Ministry of Health', 'Kemenkes', 'MINISTRY'),
  inpres('KEMENTAN', 'Ministry of Agriculture', 'Kementan', 'MINISTRY'),
  inpres('KEMENKUM', 'Ministry of Law', 'Kemenkum', 'MINISTRY'),
  inpres('BAPPENAS', 'Ministry of National Development Planning / Bappenas', 'Bappenas', 'MINISTRY'),
  inpres('KEMENSOS', 'Ministry of Social Affairs', 'Kemensos', 'MINISTRY'),
  inpres('BUMN', 'Ministry of State-Owned Enterprises', 'Kementerian BUMN', 'MINISTRY'),
  inpres('KOMDIGI', 'Ministry of Communication and Digital Affairs', 'Komdigi', 'MINISTRY', 'digital'),
  inpres('BAPANAS', 'National Food Agency', 'Bapanas', 'AGENCY'),
  inpres('BGN', 'National Nutrition Agency', 'BGN', 'AGENCY'),
  inpres('BPKP', 'Finance and Development Supervisory Agency', 'BPKP', 'AGENCY'),
  {
    code: 'ESDM',
    name: 'Ministry of Energy and Mineral Resources',
    shortName: 'ESDM',
    kind: 'MINISTRY',
    taskForceMember: false,
    participation: 'AGREEMENT',
    dataSubgraph: 'energy',
  },
  {
    code: 'KEMNAKER',
    name: 'Ministry of Manpower',
    shortName: 'Kemnaker',
    kind: 'MINISTRY',
    taskForceMember: false,
    participation: 'AGREEMENT',
    dataSubgraph: 'labour',
  },
  {
    code: 'LAN',
    name: 'National Institute of Public Administration',
    shortName: 'LAN',
    kind: 'AGENCY',
    taskForceMember: false,
    participation: 'CONVENER',
    dataSubgraph: 'collaboration',
  },
];
