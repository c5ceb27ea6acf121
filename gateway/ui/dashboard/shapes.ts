// What the dashboard reads: the shapes of the registered operations' answers, and the ministries behind them.
import type { Category, Kind, PilotModel } from './state';

export interface RegionCounts {
  regencies?: number;
  districts: number;
  villages: number;
  desa: number;
  kelurahan: number;
}
/**
 * A figure the gateway withholds from the public by disclosure control (it covers fewer than `threshold`
 * cooperatives, or would reveal one that does): it comes back null, listed in its slice's `suppressed`.
 * Shown as suppressed, never as zero, and never summed.
 */
export interface SuppressedFigure {
  field: string;
  reason: 'BELOW_THRESHOLD' | 'COMPLEMENTARY';
  threshold: number;
}
/** Every figure of a ministry slice may be null (suppressed); `suppressed` says which and why. */
export type Figures<T> = { [K in keyof T]: T[K] | null } & { suppressed: SuppressedFigure[] };
export type Registry = Figures<{
  cooperatives: number;
  kdmp: number;
  kkmp: number;
  legalEntities: number;
  loanReady: number;
  operating: number;
  members: number;
}> & { provenance: { asOf: string; source: string; synthetic: boolean } };
export type Financing = Figures<{
  loans: number;
  cooperativesFinanced: number;
  amountDisbursed: string;
  outstanding: string;
  cooperativesInArrears: number;
  arrearsAmount: string;
  interceptedAmount: string;
  preconditionsMet: number;
}> & { asOf: string; source: string };
export type Energy = Figures<{
  kwpPlanned: number;
  kwpUnderConstruction: number;
  kwpCommissioned: number;
  kwpOperating: number;
  plants: number;
  villages: number;
  unelectrifiedVillages: number;
}> & { asOf: string; source: string };
export type Digital = Figures<{
  villagesSurveyed: number;
  blankSpotVillages: number;
  share4gOrBetter: number;
  fiberVillages: number;
  onboardedCooperatives: number;
  digitalPaymentCooperatives: number;
}> & { asOf: string; source: string };
export type Labour = Figures<{
  cooperativesReporting: number;
  employees: number;
  averagePerCooperative: number;
  cooperativesAtTarget: number;
  targetEmployees: number;
  trainedBoardMembers: number;
  certifiedStaff: number;
}> & { asOf: string; source: string };
export type Development = Figures<{
  mandiri: number;
  maju: number;
  berkembang: number;
  tertinggal: number;
  sangatTertinggal: number;
  unclassified: number;
  danaDesaTotal: string;
}> & { asOf: string; source: string; year: number };

export interface Slices {
  registry: Registry;
  financing: Financing;
  energy: Energy;
  digital: Digital;
  labour: Labour;
  development: Development;
}
export type SliceKey = keyof Slices;
export type SourceKey = 'regions' | SliceKey;

export interface Row extends Partial<Slices> {
  code: string;
  name: string;
  type?: string;
  regionCounts?: RegionCounts;
}

export type Status = 'ON_TRACK' | 'AT_RISK' | 'LATE' | 'DONE';
export type Unit = 'COOPERATIVES' | 'VILLAGES' | 'PEOPLE' | 'KWP' | 'RUPIAH';
export interface CommitmentView {
  agency: { code: string; shortName: string };
  indicator: string;
  unit: Unit;
  target: string;
  baseline: string;
  realised: string | null;
  /** Why realised is null for the public: the owning ministry withholds the province's figure (disclosure control). */
  withheld?: SuppressedFigure['reason'] | null;
  expectedProgress: number;
  status: Status | null;
  dueDate: string;
}
export interface ProvinceTaskForce {
  region: { code: string } | null;
  evaluatedOn: string;
  commitments: CommitmentView[];
}
export interface TaskForceRegion {
  code: string;
  name: string;
  coverage: string;
  lead: string | null;
  provinces: string[];
}

/** LAN's Task Force data: regions and each province's commitments with realisation. */
export interface TaskForce {
  /** absent: this build has no dashboard-task-force operation (no collaboration subgraph in the graph). */
  status: 'ok' | 'unavailable' | 'absent';
  message?: string;
  regions: TaskForceRegion[];
  byProvince: Map<string, ProvinceTaskForce | null>;
  evaluatedOn?: string;
}

/** A pilot site of the Task Force's pilot model (LAN): programme facts, public. */
export interface PilotSite {
  id: string;
  model: PilotModel;
  categories: string[];
  village: { code: string; name: string };
}
/** Every pilot site, fetched once when the pilot filter is first used (a few per province). */
export interface PilotSites {
  status: 'loading' | 'ok' | 'unavailable';
  message?: string;
  sites: PilotSite[];
}

/** One village of a regency with its category and its registry and financing figures (dashboard-regency-villages). */
export interface VillageFigures {
  code: string;
  developmentStatus: { status: Category } | null;
  registry: Figures<{ cooperatives: number; legalEntities: number; loanReady: number; operating: number }> | null;
  financing: Figures<{ cooperativesFinanced: number }> | null;
}
/** A regency's villages, fetched when a village category is set and the regency drilled into: the funnel per category. */
export interface RegencyVillages {
  regency: string;
  kind?: Kind;
  status: 'loading' | 'ok' | 'unavailable';
  message?: string;
  villages: VillageFigures[];
}

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; serviceName?: string };
}
export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: GraphQLError[];
}

export interface Source {
  key: SourceKey;
  subgraph: string;
  owner: string;
  label: string;
  operation: string;
}

export const SOURCES: Source[] = [
  { key: 'regions', subgraph: 'regions', owner: 'Kemendagri', label: 'Regions', operation: 'dashboard-regions' },
  { key: 'registry', subgraph: 'cooperatives', owner: 'Kemenkop', label: 'Registry', operation: 'dashboard-registry' },
  { key: 'financing', subgraph: 'financing', owner: 'Kemenkeu / Himbara / LPDB', label: 'Financing', operation: 'dashboard-financing' },
  { key: 'energy', subgraph: 'energy', owner: 'ESDM', label: 'Energy', operation: 'dashboard-energy' },
  { key: 'digital', subgraph: 'digital', owner: 'Komdigi', label: 'Connectivity', operation: 'dashboard-digital' },
  { key: 'labour', subgraph: 'labour', owner: 'Kemnaker', label: 'Workforce', operation: 'dashboard-labour' },
  { key: 'development', subgraph: 'villages', owner: 'Kemendes PDT', label: 'Village development', operation: 'dashboard-development' },
];
export const SLICES = SOURCES.filter((s): s is Source & { key: SliceKey } => s.key !== 'regions');
export const sourceOf = (key: SourceKey) => SOURCES.find((s) => s.key === key)!;

export interface SliceState {
  status: 'ok' | 'unavailable';
  /** Why it is unavailable, or a partial-answer warning. */
  message?: string;
  /** Newest asOf over the rows (each aggregate's asOf is its newest record). */
  asOf?: string;
  source?: string;
}

export interface Level {
  rows: Row[];
  slices: Record<SourceKey, SliceState>;
  /** Set when even the list of regions could not be had. */
  fatal?: string;
}
