import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import './dashboard.css';

/**
 * The Task Force dashboard. Public: it sends no token and runs only registered operations
 * (schema/operations/dashboard-*.graphql, compiled in by ui/build.ts). Each ministry's figures come
 * in their own request (or their own nullable alias), so a ministry that is down or stale is shown as
 * such while the rest renders.
 */

declare const __DASHBOARD_OPERATIONS__: Record<string, string>;
const OPERATIONS: Record<string, string> = __DASHBOARD_OPERATIONS__;

/** A ministry slice is flagged stale when its asOf trails the newest slice by more than this. */
const STALE_DAYS = 45;

// ---------------------------------------------------------------- data shapes

interface RegionCounts { regencies?: number; districts: number; villages: number; desa: number; kelurahan: number }
/**
 * A figure the gateway withholds from the public by disclosure control (it covers fewer than `threshold`
 * cooperatives, or would reveal one that does): it comes back null, listed in its slice's `suppressed`.
 * Shown as suppressed, never as zero, and never summed.
 */
interface SuppressedFigure { field: string; reason: 'BELOW_THRESHOLD' | 'COMPLEMENTARY'; threshold: number }
/** Every figure of a ministry slice may be null (suppressed); `suppressed` says which and why. */
type Figures<T> = { [K in keyof T]: T[K] | null } & { suppressed: SuppressedFigure[] };
type Registry = Figures<{ cooperatives: number; kdmp: number; kkmp: number; legalEntities: number; loanReady: number; operating: number; members: number }> & { provenance: { asOf: string; source: string; synthetic: boolean } };
type Financing = Figures<{ loans: number; cooperativesFinanced: number; amountDisbursed: string; outstanding: string; cooperativesInArrears: number; arrearsAmount: string; interceptedAmount: string; preconditionsMet: number }> & { asOf: string; source: string };
type Energy = Figures<{ kwpPlanned: number; kwpUnderConstruction: number; kwpCommissioned: number; kwpOperating: number; plants: number; villages: number; unelectrifiedVillages: number }> & { asOf: string; source: string };
type Digital = Figures<{ villagesSurveyed: number; blankSpotVillages: number; share4gOrBetter: number; fiberVillages: number; onboardedCooperatives: number; digitalPaymentCooperatives: number }> & { asOf: string; source: string };
type Labour = Figures<{ cooperativesReporting: number; employees: number; averagePerCooperative: number; cooperativesAtTarget: number; targetEmployees: number; trainedBoardMembers: number; certifiedStaff: number }> & { asOf: string; source: string };
type Development = Figures<{ mandiri: number; maju: number; berkembang: number; tertinggal: number; sangatTertinggal: number; unclassified: number; danaDesaTotal: string }> & { asOf: string; source: string; year: number };

interface Slices { registry: Registry; financing: Financing; energy: Energy; digital: Digital; labour: Labour; development: Development }
type SliceKey = keyof Slices;
type SourceKey = 'regions' | SliceKey;

interface Row extends Partial<Slices> {
  code: string;
  name: string;
  type?: string;
  regionCounts?: RegionCounts;
}

type Status = 'ON_TRACK' | 'AT_RISK' | 'LATE' | 'DONE';
type Unit = 'COOPERATIVES' | 'VILLAGES' | 'PEOPLE' | 'KWP' | 'RUPIAH';
interface CommitmentView {
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
interface ProvinceTaskForce { region: { code: string } | null; evaluatedOn: string; commitments: CommitmentView[] }
interface TaskForceRegion { code: string; name: string; coverage: string; lead: string | null; provinces: string[] }

/** LAN's Task Force data: regions and each province's commitments with realisation. */
interface TaskForce {
  /** absent: this build has no dashboard-task-force operation (no collaboration subgraph in the graph). */
  status: 'ok' | 'unavailable' | 'absent';
  message?: string;
  regions: TaskForceRegion[];
  byProvince: Map<string, ProvinceTaskForce | null>;
  evaluatedOn?: string;
}

/** A pilot site of the Task Force's pilot model (LAN): programme facts, public. */
interface PilotSite { id: string; model: PilotModel; categories: string[]; village: { code: string; name: string } }
/** Every pilot site, fetched once when the pilot filter is first used (a few per province). */
interface PilotSites { status: 'loading' | 'ok' | 'unavailable'; message?: string; sites: PilotSite[] }

/** One village of a regency with its category and its registry and financing figures (dashboard-regency-villages). */
interface VillageFigures {
  code: string;
  developmentStatus: { status: Category } | null;
  registry: Figures<{ cooperatives: number; legalEntities: number; loanReady: number; operating: number }> | null;
  financing: Figures<{ cooperativesFinanced: number }> | null;
}
/** A regency's villages, fetched when a village category is set and the regency drilled into: the funnel per category. */
interface RegencyVillages { regency: string; kind?: Kind; status: 'loading' | 'ok' | 'unavailable'; message?: string; villages: VillageFigures[] }

interface GraphQLError { message: string; path?: (string | number)[]; extensions?: { code?: string; serviceName?: string } }
interface GraphQLResult { data?: Record<string, unknown> | null; errors?: GraphQLError[] }

interface Source { key: SourceKey; subgraph: string; owner: string; label: string; operation: string }

const SOURCES: Source[] = [
  { key: 'regions', subgraph: 'regions', owner: 'Kemendagri', label: 'Regions', operation: 'dashboard-regions' },
  { key: 'registry', subgraph: 'cooperatives', owner: 'Kemenkop', label: 'Registry', operation: 'dashboard-registry' },
  { key: 'financing', subgraph: 'financing', owner: 'Kemenkeu / Himbara / LPDB', label: 'Financing', operation: 'dashboard-financing' },
  { key: 'energy', subgraph: 'energy', owner: 'ESDM', label: 'Energy', operation: 'dashboard-energy' },
  { key: 'digital', subgraph: 'digital', owner: 'Komdigi', label: 'Connectivity', operation: 'dashboard-digital' },
  { key: 'labour', subgraph: 'labour', owner: 'Kemnaker', label: 'Workforce', operation: 'dashboard-labour' },
  { key: 'development', subgraph: 'villages', owner: 'Kemendes PDT', label: 'Village development', operation: 'dashboard-development' },
];
const SLICES = SOURCES.filter((s): s is Source & { key: SliceKey } => s.key !== 'regions');
const sourceOf = (key: SourceKey) => SOURCES.find((s) => s.key === key)!;

interface SliceState {
  status: 'ok' | 'unavailable';
  /** Why it is unavailable, or a partial-answer warning. */
  message?: string;
  /** Newest asOf over the rows (each aggregate's asOf is its newest record). */
  asOf?: string;
  source?: string;
}

interface Level {
  rows: Row[];
  slices: Record<SourceKey, SliceState>;
  /** Set when even the list of regions could not be had. */
  fatal?: string;
}

// ---------------------------------------------------------------- fetching

async function run(operation: string, variables?: Record<string, unknown>): Promise<GraphQLResult> {
  const query = OPERATIONS[operation];
  if (!query) return { errors: [{ message: `The dashboard was built without the registered operation "${operation}".` }] };
  const operationName = /query\s+(\w+)/.exec(query)?.[1];
  try {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, operationName, variables }),
    });
    const body = (await res.json().catch(() => ({}))) as GraphQLResult;
    if (!res.ok && !body.errors) return { errors: [{ message: `HTTP ${res.status} from the gateway` }] };
    return body;
  } catch (error) {
    return { errors: [{ message: `The gateway could not be reached (${(error as Error).message}).` }] };
  }
}

/** The message to show for a slice whose data did not arrive: the error naming its subgraph first. */
function failure(errors: GraphQLError[] | undefined, subgraph: string, alias?: string): string {
  const list = errors ?? [];
  const mine = list.find((e) => e.extensions?.serviceName === subgraph)
    ?? list.find((e) => alias !== undefined && e.path?.[0] === alias)
    ?? list[0];
  return mine?.message ?? 'no data returned';
}

function newest(values: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const v of values) if (v && (!best || Date.parse(v) > Date.parse(best))) best = v;
  return best;
}

const asOfOf = (key: SliceKey, value: Slices[SliceKey] | null | undefined): string | undefined =>
  value ? (key === 'registry' ? (value as Registry).provenance.asOf : (value as Exclude<Slices[SliceKey], Registry>).asOf) : undefined;
const sourceTextOf = (key: SliceKey, value: Slices[SliceKey] | null | undefined): string | undefined =>
  value ? (key === 'registry' ? (value as Registry).provenance.source : (value as Exclude<Slices[SliceKey], Registry>).source) : undefined;

/** Attaches each ministry's list (by region code) to the rows and records its state. */
function attach(rows: Row[], key: SliceKey, list: { code: string; [k: string]: unknown }[] | undefined, failed: string | undefined, warnings: GraphQLError[]): SliceState {
  if (!list) return { status: 'unavailable', message: failed };
  const subgraph = sourceOf(key).subgraph;
  const values = list.map((item) => item[key] as Slices[SliceKey] | null | undefined);
  // A ministry that did not answer leaves its field null on every region; the regions still arrive.
  if (list.length > 0 && !values.some(Boolean)) return { status: 'unavailable', message: failure(warnings, subgraph) };
  const byCode = new Map(list.map((item, i) => [item.code, values[i]]));
  for (const row of rows) {
    const value = byCode.get(row.code);
    if (value) (row as unknown as Record<string, unknown>)[key] = value;
  }
  const partial = warnings.find((e) => e.extensions?.serviceName === subgraph);
  return {
    status: 'ok',
    asOf: newest(values.map((v) => asOfOf(key, v))),
    source: values.map((v) => sourceTextOf(key, v)).find(Boolean),
    ...(partial ? { message: `partly missing: ${partial.message}` } : {}),
  };
}

async function loadNational(kind: Kind | undefined): Promise<Level & { kind?: Kind }> {
  const results = await Promise.all(SOURCES.map((s) => run(s.operation, s.key === 'registry' ? { kind: kind ?? null } : undefined)));
  const [regions, ...rest] = results as [GraphQLResult, ...GraphQLResult[]];
  const provinces = regions.data?.provinces as Row[] | undefined;
  const slices = {} as Record<SourceKey, SliceState>;
  if (!provinces) {
    const message = failure(regions.errors, 'regions');
    for (const s of SOURCES) slices[s.key] = { status: 'unavailable', message };
    return { rows: [], slices, fatal: `Kemendagri region data unavailable, so no province can be listed: ${message}` };
  }
  const rows: Row[] = provinces.map((p) => ({ code: p.code, name: p.name, regionCounts: p.regionCounts }));
  slices.regions = { status: 'ok' };
  SLICES.forEach((s, i) => {
    const result = rest[i]!;
    const list = result.data?.provinces as { code: string }[] | undefined;
    slices[s.key] = attach(rows, s.key, list, list ? undefined : failure(result.errors, s.subgraph), result.errors ?? []);
  });
  return { rows, slices, kind };
}

/** Only the registry again, for another kind: the other ministries publish no per-kind figures. */
async function reloadRegistry(level: Level, kind: Kind | undefined): Promise<Level & { kind?: Kind }> {
  const result = await run('dashboard-registry', { kind: kind ?? null });
  const rows = level.rows.map(({ registry: _old, ...row }) => ({ ...row }) as Row);
  const list = result.data?.provinces as { code: string }[] | undefined;
  const registry = attach(rows, 'registry', list, list ? undefined : failure(result.errors, 'cooperatives'), result.errors ?? []);
  return { ...level, rows, slices: { ...level.slices, registry }, kind };
}

type TaskForceData = { taskForceRegions: (Omit<TaskForceRegion, 'provinces'> & { provinces: { code: string }[] })[]; provinces: { code: string; taskForce: ProvinceTaskForce | null }[] };

async function loadTaskForce(): Promise<TaskForce> {
  const empty = { regions: [], byProvince: new Map<string, ProvinceTaskForce | null>() };
  if (!OPERATIONS['dashboard-task-force']) return { status: 'absent', ...empty };
  const result = await run('dashboard-task-force');
  const data = result.data as TaskForceData | null | undefined;
  if (!data) return { status: 'unavailable', message: failure(result.errors, 'collaboration'), ...empty };
  return taskForceOf(data, result.errors);
}

function taskForceOf(data: TaskForceData, errors: GraphQLError[] | undefined): TaskForce {
  const byProvince = new Map(data.provinces.map((p) => [p.code, p.taskForce]));
  const missing = data.provinces.filter((p) => !p.taskForce).length;
  return {
    status: 'ok',
    regions: data.taskForceRegions.map((r) => ({ ...r, provinces: r.provinces.map((p) => p.code) })),
    byProvince,
    evaluatedOn: newest(data.provinces.map((p) => p.taskForce?.evaluatedOn)),
    ...(missing ? { message: `no Task Force view for ${missing} province(s): ${failure(errors, 'collaboration')}` } : {}),
  };
}

/**
 * The first load: everything in one request (dashboard-national), so the gateway fetches each
 * ministry's figures once for the table and for the commitments' realisation alike. Any error and
 * it falls back to one request per ministry, which tells which one is unavailable.
 */
async function loadFirst(kind: Kind | undefined): Promise<{ national: Level & { kind?: Kind }; taskForce: TaskForce }> {
  if (OPERATIONS['dashboard-national']) {
    const result = await run('dashboard-national');
    const data = result.data as TaskForceData | null | undefined;
    if (data?.provinces && !result.errors?.length) {
      const provinces = data.provinces as unknown as (Row & { [key: string]: unknown })[];
      const rows: Row[] = provinces.map((p) => ({ code: p.code, name: p.name, regionCounts: p.regionCounts }));
      const slices = { regions: { status: 'ok' } } as Record<SourceKey, SliceState>;
      for (const s of SLICES) slices[s.key] = attach(rows, s.key, provinces, undefined, []);
      const level = { rows, slices, kind: undefined };
      return { national: kind ? await reloadRegistry(level, kind) : level, taskForce: taskForceOf(data, undefined) };
    }
  }
  const [national, taskForce] = await Promise.all([loadNational(kind), loadTaskForce()]);
  return { national, taskForce };
}

async function loadRegencies(province: string, kind: Kind | undefined): Promise<Level & { name?: string }> {
  const result = await run('dashboard-regencies', { province, kind: kind ?? null });
  const data = result.data ?? {};
  const spine = data.regions as { name: string; regencies: Row[] } | null | undefined;
  const slices = {} as Record<SourceKey, SliceState>;
  if (!spine) {
    const message = failure(result.errors, 'regions', 'regions');
    for (const s of SOURCES) slices[s.key] = { status: 'unavailable', message };
    return { rows: [], slices, fatal: result.errors ? `Kemendagri region data unavailable: ${message}` : `No province with code ${province}.` };
  }
  const rows: Row[] = spine.regencies.map((r) => ({ code: r.code, name: r.name, type: r.type, regionCounts: r.regionCounts }));
  slices.regions = { status: 'ok' };
  for (const s of SLICES) {
    const alias = data[s.key] as { regencies: { code: string }[] } | null | undefined;
    slices[s.key] = attach(rows, s.key, alias?.regencies, alias ? undefined : failure(result.errors, s.subgraph, s.key), result.errors ?? []);
  }
  return { rows, slices, name: spine.name };
}

/** Every village of one regency (a few hundred; each ministry answers them in one statement). Any error: no split. */
async function loadRegencyVillages(regency: string, kind: Kind | undefined): Promise<RegencyVillages> {
  const result = await run('dashboard-regency-villages', { regency, kind: kind ?? null });
  const villages = (result.data?.regency as { villages: VillageFigures[] } | null | undefined)?.villages;
  if (!villages || result.errors?.length) return { regency, kind, status: 'unavailable', message: failure(result.errors, 'cooperatives'), villages: [] };
  return { regency, kind, status: 'ok', villages };
}

async function loadPilotSites(): Promise<PilotSites> {
  const result = await run('dashboard-pilot-sites');
  const sites = result.data?.pilotSites as PilotSite[] | undefined;
  return sites ? { status: 'ok', sites } : { status: 'unavailable', message: failure(result.errors, 'collaboration'), sites: [] };
}

// ---------------------------------------------------------------- filters (kept in the URL, so a view can be shared)

const CATEGORIES = [
  { value: 'MANDIRI', field: 'mandiri' },
  { value: 'MAJU', field: 'maju' },
  { value: 'BERKEMBANG', field: 'berkembang' },
  { value: 'TERTINGGAL', field: 'tertinggal' },
  { value: 'SANGAT_TERTINGGAL', field: 'sangatTertinggal' },
] as const;
type Category = (typeof CATEGORIES)[number]['value'];
type Kind = 'KDMP' | 'KKMP';
const PILOT_MODELS = ['AGRIBUSINESS', 'FISHERIES', 'PLANTATION', 'LIVESTOCK', 'TRADE_AND_LOGISTICS', 'TOURISM_AND_CRAFTS', 'URBAN_SERVICES'] as const;
type PilotModel = (typeof PILOT_MODELS)[number];
/** Pilot sites of any model, or of one. */
type Pilot = 'ANY' | PilotModel;

interface Filters {
  /** Task Force region code, "I" to "IV". */
  region?: string;
  category?: Category;
  kind?: Kind;
  pilot?: Pilot;
  province?: string;
  regency?: string;
}

function readFilters(): Filters {
  const p = new URLSearchParams(location.search);
  const category = CATEGORIES.find((c) => c.value === p.get('category'))?.value;
  const kind = p.get('kind') === 'KDMP' || p.get('kind') === 'KKMP' ? (p.get('kind') as Kind) : undefined;
  const pilot = (['ANY', ...PILOT_MODELS] as const).find((m) => m === p.get('pilot'));
  return { region: p.get('region') || undefined, category, kind, pilot, province: p.get('province') || undefined, regency: p.get('regency') || undefined };
}

function writeFilters(f: Filters): void {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
  const search = p.toString();
  history.replaceState(null, '', search ? `?${search}` : location.pathname);
}

const categoryCount = (row: Row, category: Category): number | null | undefined => {
  const field = CATEGORIES.find((c) => c.value === category)!.field;
  return row.development?.[field];
};

/** A region's pilot sites: those whose village code lies under the region's ("35" or "35.14"). */
const sitesIn = (sites: PilotSite[], row: Row) => sites.filter((s) => s.village.code.startsWith(`${row.code}.`));
const modelLabel = (model: PilotModel) => model.charAt(0) + model.slice(1).toLowerCase().replace(/_/g, ' ');
const pilotLabel = (pilot: Pilot) => (pilot === 'ANY' ? 'pilot sites' : `${modelLabel(pilot)} pilot sites`);
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** "Agribusiness 2 · Fisheries 1": the models of some sites, most frequent first. */
function modelSummary(sites: PilotSite[]): string {
  const counts = new Map<PilotModel, number>();
  for (const s of sites) counts.set(s.model, (counts.get(s.model) ?? 0) + 1);
  return [...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b)).map(([model, n]) => `${modelLabel(model)} ${n}`).join(' · ');
}

// ---------------------------------------------------------------- numbers

const int = (n: number | null | undefined) => (n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
const pct = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? '—' : `${(n * 100).toFixed(1)}%`);
const share = (part: number | null | undefined, whole: number | null | undefined) => (part === null || part === undefined || !whole ? null : part / whole);

/** Whole rupiah, summed exactly (BigInt), shown compactly: Rp 1.23 tn / bn / m. */
function rupiah(value: bigint | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const units: [bigint, string][] = [[10n ** 12n, 'tn'], [10n ** 9n, 'bn'], [10n ** 6n, 'm']];
  for (const [unit, name] of units) {
    if (value >= unit) return `Rp ${(Number((value * 100n) / unit) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })} ${name}`;
  }
  return `Rp ${value.toLocaleString('en-US')}`;
}
const kwp = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n >= 1000 ? `${(n / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} MWp` : `${Math.round(n).toLocaleString('en-US')} kWp`);

/** Sum of region counts over rows; null when one is missing. */
function total<T>(rows: T[], pick: (row: T) => number | null | undefined): number | null {
  let sum = 0;
  for (const row of rows) {
    const v = pick(row);
    if (v === null || v === undefined) return null;
    sum += v;
  }
  return sum;
}

// ---------------------------------------------------------------- disclosure control (suppressed figures)

/** A ministry slice of one region (or village) as far as suppression goes. */
type AnySlice = { suppressed: SuppressedFigure[] } & object;
/** The first of `fields` a slice withholds from the public, if any. */
const withheldIn = (slice: AnySlice | null | undefined, fields: readonly string[]) => slice?.suppressed?.find((s) => fields.includes(s.field));
/** The first suppressed figure among `refs` ([ministry, field]) of a region. */
function withheldOf(row: Row, refs: readonly FieldRef[]): SuppressedFigure | undefined {
  for (const [key, field] of refs) {
    const hit = withheldIn(row[key] as AnySlice | undefined, [field]);
    if (hit) return hit;
  }
  return undefined;
}
type FieldRef = readonly [SliceKey, string];

/**
 * A sum over regions (or villages) of one figure: unavailable when the ministry's slice is missing for
 * any of them; suppressed when any of them withholds it (a partial sum would pass for the whole).
 */
type Sum<V> = { status: 'unavailable' } | { status: 'suppressed'; figure: SuppressedFigure; regions: number } | { status: 'ok'; value: V };
function sumOf<T, V extends number | bigint>(items: T[], sliceOf: (item: T) => AnySlice | null | undefined, field: string, zero: V): Sum<V> {
  let value = zero;
  let figure: SuppressedFigure | undefined;
  let regions = 0;
  for (const item of items) {
    const slice = sliceOf(item) as (AnySlice & Record<string, unknown>) | null | undefined;
    if (!slice) return { status: 'unavailable' };
    const hit = withheldIn(slice, [field]);
    const v = slice[field];
    if (hit) {
      figure ??= hit;
      regions += 1;
    } else if (typeof v === 'number' || typeof v === 'string') {
      value = (typeof zero === 'bigint' ? (value as bigint) + BigInt(v) : (value as number) + Number(v)) as V;
    } else return { status: 'unavailable' };
  }
  return figure ? { status: 'suppressed', figure, regions } : { status: 'ok', value };
}
const valueOf = <V,>(sum: Sum<V>): V | null => (sum.status === 'ok' ? sum.value : null);

/** What a suppressed figure says instead of a number. */
function suppressedText(figure: SuppressedFigure, regions?: number): string {
  const where = regions === undefined ? '' : ` in ${regions} ${regions === 1 ? 'region' : 'regions'}`;
  return figure.reason === 'BELOW_THRESHOLD' ? `suppressed${where} (< ${figure.threshold} cooperatives)` : `suppressed${where} (complementary)`;
}
function suppressedTitle(figure: SuppressedFigure): string {
  return figure.reason === 'BELOW_THRESHOLD'
    ? `Withheld from the public: it covers fewer than ${figure.threshold} cooperatives (disclosure control). Analysts see it.`
    : `Withheld from the public: with the published figures it would reveal one covering fewer than ${figure.threshold} cooperatives (complementary suppression). Analysts see it.`;
}
function Suppressed({ figure, regions }: { figure: SuppressedFigure; regions?: number }) {
  return <span className="suppressed" data-suppressed={figure.reason} title={suppressedTitle(figure)}>{suppressedText(figure, regions)}</span>;
}
/** A summed figure: its value, or why there is none. */
function SumView<V>({ sum, owner, show }: { sum: Sum<V>; owner: string; show: (value: V) => ReactNode }) {
  if (sum.status === 'unavailable') return <span className="na">{owner} data unavailable</span>;
  if (sum.status === 'suppressed') return <Suppressed figure={sum.figure} regions={sum.regions} />;
  return <>{show(sum.value)}</>;
}
/** a + b, or null when either is withheld or missing. */
const plus = (a: number | null | undefined, b: number | null | undefined) => (a === null || a === undefined || b === null || b === undefined ? null : a + b);

// ---------------------------------------------------------------- indicators (table columns and charts)

type Format = 'int' | 'pct' | 'rupiah' | 'kwp' | 'dec';
interface Indicator {
  key: string;
  source: SliceKey;
  label: string;
  format: Format;
  /** The figures it reads, to tell a suppressed one from a missing one. */
  fields: string[];
  /** A number for charts and sorting (rupiah as Number: display only, sums use BigInt). */
  value: (row: Row) => number | null | undefined;
}

/** A rupiah string as a Number (charts and sorting only), null when withheld. */
const numberOf = (rupiahText: string | null | undefined) => (rupiahText === null || rupiahText === undefined ? rupiahText : Number(rupiahText));
const refsOf = (i: Indicator): FieldRef[] => i.fields.map((f) => [i.source, f] as const);

const INDICATORS: Indicator[] = [
  { key: 'cooperatives', source: 'registry', label: 'Cooperatives formed', format: 'int', fields: ['cooperatives'], value: (r) => r.registry?.cooperatives },
  { key: 'legalShare', source: 'registry', label: 'Share with a legal entity', format: 'pct', fields: ['legalEntities', 'cooperatives'], value: (r) => share(r.registry?.legalEntities, r.registry?.cooperatives) },
  { key: 'loanReadyShare', source: 'registry', label: 'Share loan-eligible', format: 'pct', fields: ['loanReady', 'cooperatives'], value: (r) => share(r.registry?.loanReady, r.registry?.cooperatives) },
  { key: 'operatingShare', source: 'registry', label: 'Share operating', format: 'pct', fields: ['operating', 'cooperatives'], value: (r) => share(r.registry?.operating, r.registry?.cooperatives) },
  { key: 'members', source: 'registry', label: 'Members', format: 'int', fields: ['members'], value: (r) => r.registry?.members },
  { key: 'financed', source: 'financing', label: 'Cooperatives financed', format: 'int', fields: ['cooperativesFinanced'], value: (r) => r.financing?.cooperativesFinanced },
  { key: 'disbursed', source: 'financing', label: 'Amount disbursed', format: 'rupiah', fields: ['amountDisbursed'], value: (r) => numberOf(r.financing?.amountDisbursed) },
  { key: 'arrears', source: 'financing', label: 'Cooperatives in arrears', format: 'int', fields: ['cooperativesInArrears'], value: (r) => r.financing?.cooperativesInArrears },
  { key: 'intercepted', source: 'financing', label: 'Dana Desa intercepted', format: 'rupiah', fields: ['interceptedAmount'], value: (r) => numberOf(r.financing?.interceptedAmount) },
  { key: 'kwpCommissioned', source: 'energy', label: 'Solar in service', format: 'kwp', fields: ['kwpCommissioned'], value: (r) => r.energy?.kwpCommissioned },
  { key: 'kwpPlanned', source: 'energy', label: 'Solar planned', format: 'kwp', fields: ['kwpPlanned'], value: (r) => r.energy?.kwpPlanned },
  { key: 'unelectrified', source: 'energy', label: 'Villages without electricity', format: 'int', fields: ['unelectrifiedVillages'], value: (r) => r.energy?.unelectrifiedVillages },
  { key: 'share4g', source: 'digital', label: 'Villages with 4G or better', format: 'pct', fields: ['share4gOrBetter'], value: (r) => r.digital?.share4gOrBetter },
  { key: 'blankSpots', source: 'digital', label: 'Blank-spot villages', format: 'int', fields: ['blankSpotVillages'], value: (r) => r.digital?.blankSpotVillages },
  { key: 'onboarded', source: 'digital', label: 'Cooperatives onboarded', format: 'int', fields: ['onboardedCooperatives'], value: (r) => r.digital?.onboardedCooperatives },
  { key: 'employees', source: 'labour', label: 'Employees', format: 'int', fields: ['employees'], value: (r) => r.labour?.employees },
  { key: 'perCooperative', source: 'labour', label: 'Employees per cooperative (target 20–25)', format: 'dec', fields: ['averagePerCooperative'], value: (r) => r.labour?.averagePerCooperative },
  { key: 'atTarget', source: 'labour', label: 'Cooperatives at target', format: 'int', fields: ['cooperativesAtTarget'], value: (r) => r.labour?.cooperativesAtTarget },
  { key: 'trained', source: 'labour', label: 'Trained board members', format: 'int', fields: ['trainedBoardMembers'], value: (r) => r.labour?.trainedBoardMembers },
  { key: 'lagging', source: 'development', label: 'TERTINGGAL + SANGAT_TERTINGGAL villages', format: 'int', fields: ['tertinggal', 'sangatTertinggal'], value: (r) => plus(r.development?.tertinggal, r.development?.sangatTertinggal) },
  { key: 'mandiri', source: 'development', label: 'MANDIRI villages', format: 'int', fields: ['mandiri'], value: (r) => r.development?.mandiri },
  { key: 'danaDesa', source: 'development', label: 'Dana Desa total', format: 'rupiah', fields: ['danaDesaTotal'], value: (r) => numberOf(r.development?.danaDesaTotal) },
];

function formatValue(value: number | null | undefined, format: Format): string {
  switch (format) {
    case 'pct': return pct(value);
    case 'rupiah': return value === null || value === undefined ? '—' : rupiah(BigInt(Math.round(value)));
    case 'kwp': return kwp(value);
    case 'dec': return value === null || value === undefined ? '—' : value.toFixed(2);
    default: return int(value);
  }
}

// ---------------------------------------------------------------- components

function Freshness({ slices, taskForce }: { slices: Record<SourceKey, SliceState>; taskForce: TaskForce }) {
  const latest = newest(SLICES.map((s) => slices[s.key]?.asOf));
  const lan = taskForce.status === 'ok' ? 'fresh' : 'unavailable';
  return (
    <section className="card freshness" aria-label="Data freshness by ministry">
      <h2>Data by ministry</h2>
      <ul>
        {SLICES.map((s) => {
          const state = slices[s.key];
          if (!state) return null;
          const days = state.asOf && latest ? Math.floor((Date.parse(latest) - Date.parse(state.asOf)) / 86_400_000) : 0;
          const stale = state.status === 'ok' && days > STALE_DAYS;
          const status = state.status === 'unavailable' ? 'unavailable' : stale ? 'stale' : 'fresh';
          return (
            <li key={s.key} className={`chip ${status}`} data-ministry={s.key} data-status={status} title={state.message ?? state.source}>
              <strong>{s.owner}</strong> <span className="muted">{s.label}</span>
              <span className="state">
                {state.status === 'unavailable'
                  ? `${s.owner} data unavailable`
                  : `as of ${state.asOf ? state.asOf.slice(0, 10) : '—'}${stale ? ` · stale: ${days} days behind the newest` : ''}`}
              </span>
              {state.message && state.status === 'ok' && <span className="state warn">{state.message}</span>}
            </li>
          );
        })}
        <li className={`chip ${lan}`} data-ministry="taskForce" data-status={lan} title={taskForce.message}>
          <strong>LAN / Task Force</strong> <span className="muted">Commitments</span>
          <span className="state">
            {taskForce.status === 'ok'
              ? `evaluated on ${taskForce.evaluatedOn?.slice(0, 10) ?? '—'}`
              : taskForce.status === 'absent' ? 'LAN / Task Force data unavailable: not in this graph' : 'LAN / Task Force data unavailable'}
          </span>
          {taskForce.message && taskForce.status === 'ok' && <span className="state warn">{taskForce.message}</span>}
        </li>
      </ul>
    </section>
  );
}

interface Stage { key: string; label: string; detail: string; source: 'registry' | 'financing'; field: string }
const STAGES: Stage[] = [
  { key: 'formed', label: 'Formed', detail: 'registered cooperatives', source: 'registry', field: 'cooperatives' },
  { key: 'legal', label: 'Legal entity', detail: 'AHU decree', source: 'registry', field: 'legalEntities' },
  { key: 'eligible', label: 'Loan-eligible', detail: 'every registry precondition', source: 'registry', field: 'loanReady' },
  { key: 'financed', label: 'Financed', detail: 'money disbursed', source: 'financing', field: 'cooperativesFinanced' },
  { key: 'operating', label: 'Operating', detail: 'in business', source: 'registry', field: 'operating' },
];

/** The villages of one category in a drilled-into regency, whose figures replace the regency's in the funnel. */
interface CategorySplit { category: Category; villages: VillageFigures[]; of: number }

function Funnel({ rows, slices, scope, filters, split, splitFailed, splitSuppressed, splitPending }: {
  rows: Row[]; slices: Record<SourceKey, SliceState>; scope: string; filters: Filters; split?: CategorySplit; splitFailed?: string;
  /** Set when the category's villages' figures are withheld from the public, so no split can be shown. */
  splitSuppressed?: SuppressedFigure; splitPending?: boolean;
}) {
  if (splitPending) {
    return (
      <section className="card funnel" aria-label="Funnel">
        <h2>Funnel · {scope}, {filters.category} villages</h2>
        <p className="loading" role="status">Loading the figures of each {filters.category} village…</p>
      </section>
    );
  }
  const sums: Sum<number>[] = split
    ? STAGES.map((s) => sumOf(split.villages, (v) => v[s.source], s.field, 0))
    : STAGES.map((s) => (slices[s.source]?.status === 'ok' ? sumOf(rows, (r) => r[s.source], s.field, 0) : { status: 'unavailable' }));
  const values = sums.map(valueOf);
  const withheldStage = sums.find((sum): sum is Extract<Sum<number>, { status: 'suppressed' }> => sum.status === 'suppressed');
  const top = Math.max(1, ...values.map((v) => v ?? 0));
  const formed = values[0];
  const rowHeight = 46;
  const labelWidth = 170;
  const width = 640;
  return (
    <section className="card funnel" aria-label="Funnel" data-category-split={split ? split.category : undefined}>
      <h2>Funnel · {scope}{split ? `, ${split.category} villages` : ''}</h2>
      {split && (
        <p className="split" data-villages={split.villages.length} data-cooperatives={values[0] ?? ''}>
          <strong>{int(split.villages.length)}</strong> of {int(split.of)} villages are {split.category} (Kemendes PDT), with <strong>{int(values[0])}</strong> {values[0] === 1 ? 'cooperative' : 'cooperatives'}.
        </p>
      )}
      <svg viewBox={`0 0 ${width} ${STAGES.length * rowHeight}`} role="img" aria-label={`Funnel for ${scope}`} className="funnel-chart">
        {STAGES.map((stage, i) => {
          const value = values[i];
          const sum = sums[i]!;
          const y = i * rowHeight;
          const barWidth = value === null || value === undefined ? 0 : Math.max(2, ((width - labelWidth - 150) * value) / top);
          return (
            <g key={stage.key} data-stage={stage.key} data-value={value ?? ''} data-suppressed={sum.status === 'suppressed' ? sum.figure.reason : undefined}>
              <text x={0} y={y + 20} className="stage-label">{stage.label}</text>
              <text x={0} y={y + 37} className="stage-detail">{filters.kind && stage.source === 'registry' ? `${filters.kind} · ${stage.detail}` : filters.kind ? `both kinds · ${stage.detail}` : stage.detail}</text>
              {sum.status === 'suppressed' ? (
                <text x={labelWidth} y={y + 26} className="stage-suppressed"><title>{suppressedTitle(sum.figure)}</title>{suppressedText(sum.figure, sum.regions)}</text>
              ) : value === null || value === undefined ? (
                <text x={labelWidth} y={y + 26} className="stage-missing">{sourceOf(stage.source).owner} data unavailable</text>
              ) : (
                <>
                  <rect x={labelWidth} y={y + 8} width={barWidth} height={26} rx={3} className={`bar stage-${stage.key}`} />
                  <text x={labelWidth + barWidth + 8} y={y + 26} className="stage-value">
                    {int(value)}{formed && i > 0 ? ` · ${pct(value / formed)}` : ''}
                  </text>
                </>
              )}
            </g>
          );
        })}
      </svg>
      <p className="note">
        Stages from Kemenkop's registry, except <em>financed</em> (Kemenkeu / Himbara / LPDB: a loan with money disbursed).
        {withheldStage && (
          <> {' '}<span data-note="suppressed">A stage marked <em>suppressed</em> has a region whose figure is withheld from the public (it covers fewer than {withheldStage.figure.threshold} cooperatives, or would reveal one that does); it is not added up as zero.</span></>
        )}
        {filters.kind && (
          <> {' '}<strong>{filters.kind} only</strong> for the registry stages (<code>registry(kind: {filters.kind})</code>); <em>financed</em> counts both kinds, as financing publishes no figure per kind.</>
        )}
        {filters.category && split && (
          <> {' '}<strong>{filters.category}:</strong> every stage, <em>financed</em> included, counts only the cooperatives of the regency's {filters.category} villages, summed from each ministry's figures per village (<code>regency {'{'} villages {'{'} registry financing {'}'} {'}'}</code>). The split by category is exact at regency level; province and national figures cover all villages of the regions shown.</>
        )}
        {filters.category && !split && splitSuppressed && (
          <> {' '}<strong>{filters.category}:</strong> <span className="warn" role="status" data-split="suppressed">the split by village category is not public</span>: it would add up each {filters.category} village's own figures, and a village's figures cover fewer than {splitSuppressed.threshold} cooperatives, so they are suppressed for the public (disclosure control; analysts see them). The funnel counts all cooperatives of the regency.</>
        )}
        {filters.category && !split && !splitSuppressed && splitFailed !== undefined && (
          <> {' '}<strong>{filters.category}:</strong> <span className="warn" role="alert">the split by village category is unavailable ({splitFailed})</span>, so the funnel counts all cooperatives of the regency.</>
        )}
        {filters.category && !split && !splitSuppressed && splitFailed === undefined && (
          <> {' '}<strong>{filters.category}:</strong> the funnel counts all cooperatives of the regions in view: province and national figures cover all villages of the regions shown. Drill into a regency for the exact funnel of its {filters.category} villages.</>
        )}
        {filters.pilot && (
          <> {' '}<strong>Pilot sites:</strong> the funnel counts all cooperatives of the regions in view, not only the pilot cooperatives. Ministries publish no aggregate per pilot site, and a pilot cooperative's own record (<code>pilotSites {'{'} cooperative {'{'} stage {'}'} {'}'}</code>) needs a signed-in analyst.</>
        )}
      </p>
    </section>
  );
}

// ---------------------------------------------------------------- commitments

/** What each indicator counts, for commitment rows summed over provinces (a commitment's own label names its target). */
const INDICATOR_NAMES: Record<string, string> = {
  REGISTRY_LEGAL_ENTITIES: 'Cooperatives with an AHU decree',
  REGISTRY_LOAN_READY: 'Cooperatives loan-ready',
  REGISTRY_OPERATING: 'Cooperatives operating',
  REGISTRY_MEMBERS: 'Cooperative members',
  FINANCING_COOPERATIVES_FINANCED: 'Cooperatives financed',
  FINANCING_AMOUNT_DISBURSED: 'Loan money disbursed',
  ENERGY_KWP_COMMISSIONED: 'Solar commissioned (kWp)',
  ENERGY_KWP_OPERATING: 'Solar operating (kWp)',
  DIGITAL_COOPERATIVES_ONBOARDED: 'Cooperatives onboarded to SIMKOPDES',
  DIGITAL_FIBER_VILLAGES: 'Villages reached by fiber',
  DIGITAL_PAYMENT_COOPERATIVES: 'Cooperatives taking digital payments',
  LABOUR_EMPLOYEES: 'People employed',
  LABOUR_TRAINED_BOARD_MEMBERS: 'Board members trained',
  LABOUR_CERTIFIED_STAFF: 'Staff certified',
  DEVELOPMENT_MANDIRI_VILLAGES: 'MANDIRI villages',
};
const indicatorName = (indicator: string) => INDICATOR_NAMES[indicator] ?? indicator.toLowerCase().replace(/_/g, ' ');

const STATUS_ORDER: Status[] = ['LATE', 'AT_RISK', 'ON_TRACK', 'DONE'];
const STATUS_LABEL: Record<Status, string> = { LATE: 'late', AT_RISK: 'at risk', ON_TRACK: 'on track', DONE: 'done' };

/** An exact decimal ("1234.5") in hundredths, so sums of targets and realisations stay exact. */
function hundredths(decimal: string): bigint {
  const [whole = '0', fraction = ''] = decimal.split('.');
  const negative = whole.startsWith('-');
  const value = BigInt(whole.replace('-', '') || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
  return negative ? -value : value;
}

function quantity(value: bigint | null, unit: Unit): string {
  if (value === null) return '—';
  if (unit === 'RUPIAH') return rupiah(value / 100n);
  const n = Number(value) / 100;
  if (unit === 'KWP') return kwp(n);
  return int(n);
}

interface CommitmentGroup {
  key: string;
  agency: CommitmentView['agency'];
  indicator: string;
  unit: Unit;
  label: string;
  dueDate: string;
  target: bigint;
  baseline: bigint;
  /** null when any province's realisation could not be read. */
  realised: bigint | null;
  unreadable: number;
  /** Of those, the ones the owning ministry withholds from the public (disclosure control). */
  withheld: number;
  expected: number;
  statuses: Record<Status, number>;
  lagging: { code: string; name: string; status: Status }[];
  items: CommitmentView[];
}

/** Commitments of the provinces in view, per agency, indicator and due date (each province once per group). */
function groupCommitments(provinces: Row[], taskForce: TaskForce): CommitmentGroup[] {
  const groups = new Map<string, CommitmentGroup>();
  for (const province of provinces) {
    for (const c of taskForce.byProvince.get(province.code)?.commitments ?? []) {
      const key = `${c.agency.code}|${c.indicator}|${c.dueDate}`;
      let g = groups.get(key);
      if (!g) {
        g = {
          key, agency: c.agency, indicator: c.indicator, unit: c.unit, dueDate: c.dueDate,
          label: indicatorName(c.indicator),
          target: 0n, baseline: 0n, realised: 0n, unreadable: 0, withheld: 0, expected: c.expectedProgress,
          statuses: { LATE: 0, AT_RISK: 0, ON_TRACK: 0, DONE: 0 }, lagging: [], items: [],
        };
        groups.set(key, g);
      }
      g.items.push(c);
      g.target += hundredths(c.target);
      g.baseline += hundredths(c.baseline);
      if (c.realised === null) {
        g.unreadable += 1;
        if (c.withheld) g.withheld += 1;
      } else if (g.realised !== null) g.realised += hundredths(c.realised);
      if (c.status) g.statuses[c.status] += 1;
      if (c.status === 'LATE' || c.status === 'AT_RISK') g.lagging.push({ code: province.code, name: province.name, status: c.status });
    }
  }
  const list = [...groups.values()];
  for (const g of list) if (g.unreadable) g.realised = null;
  const laggingOf = (code: string) => list.filter((g) => g.agency.code === code).reduce((n, g) => n + g.statuses.LATE * 2 + g.statuses.AT_RISK, 0);
  // Agencies that lag most first; within one, by indicator then due date.
  return list.sort((a, b) => laggingOf(b.agency.code) - laggingOf(a.agency.code) || a.agency.code.localeCompare(b.agency.code)
    || a.indicator.localeCompare(b.indicator) || a.dueDate.localeCompare(b.dueDate));
}

function Progress({ value, expected }: { value: number | null; expected: number }) {
  if (value === null) return <span className="na">—</span>;
  const shown = Math.max(0, Math.min(1, value));
  const tone = value >= 1 ? '' : value < expected - 0.1 ? (expected >= 1 ? ' late' : ' lag') : '';
  return (
    <span className={`progress${tone}`} title={`${pct(value)} of the way; ${pct(expected)} of the time elapsed`}>
      <span style={{ width: `${shown * 100}%` }} />
      <i style={{ left: `${Math.min(1, expected) * 100}%` }} aria-hidden="true" />
    </span>
  );
}

function StatusCounts({ statuses }: { statuses: Record<Status, number> }) {
  return (
    <span className="statuses">
      {STATUS_ORDER.filter((s) => statuses[s] > 0).map((s) => (
        <span key={s} className={`status ${s}`} data-status={s}>{statuses[s]} {STATUS_LABEL[s]}</span>
      ))}
    </span>
  );
}

function Commitments({ provinces, taskForce, scope, single }: { provinces: Row[]; taskForce: TaskForce; scope: string; single: boolean }) {
  if (taskForce.status !== 'ok') {
    return (
      <section className="card commitments" aria-label="Agency commitments">
        <h2>Agency commitments</h2>
        <p className="unavailable-box" data-commitments="unavailable">
          LAN / Task Force data unavailable{taskForce.status === 'absent' ? ': the collaboration subgraph is not part of this graph.' : `: ${taskForce.message ?? ''}`}
        </p>
      </section>
    );
  }
  const groups = groupCommitments(provinces, taskForce);
  const totals = { LATE: 0, AT_RISK: 0, ON_TRACK: 0, DONE: 0 } as Record<Status, number>;
  for (const g of groups) for (const st of STATUS_ORDER) totals[st] += g.statuses[st];
  const agencies = [...new Set(groups.map((g) => g.agency.code))];
  return (
    <section className="card commitments" aria-label="Agency commitments">
      <h2>Agency commitments · {scope}</h2>
      <p className="note">
        {groups.reduce((n, g) => n + g.items.length, 0)} commitments of {agencies.length} agencies <StatusCounts statuses={totals} />.
        Realised is read by LAN from each owning ministry's own figures{single ? '' : ', summed over the provinces in view'}; the marker shows the share of time elapsed.
      </p>
      <div className="table-scroll">
        <table className="commitments-table">
          <thead>
            <tr><th scope="col">Agency · commitment</th><th scope="col">Due</th><th scope="col">Realised / target</th><th scope="col">Progress</th><th scope="col">Status</th>{!single && <th scope="col">Lagging in</th>}</tr>
          </thead>
          <tbody>
            {groups.map((g, i) => {
              const first = i === 0 || groups[i - 1]!.agency.code !== g.agency.code;
              const span = g.target - g.baseline;
              const progress = g.realised === null ? null : span > 0n ? Number(g.realised - g.baseline) / Number(span) : g.realised >= g.target ? 1 : 0;
              return (
                <tr key={g.key} data-agency={g.agency.code} data-indicator={g.indicator} data-due={g.dueDate.slice(0, 10)} className={first ? 'agency-first' : undefined}>
                  <th scope="row">
                    {first && <strong className="agency">{g.agency.shortName}</strong>}
                    <span className="what">{g.label}</span>
                  </th>
                  <td>{g.dueDate.slice(0, 10)}</td>
                  <td data-realised={g.realised === null ? '' : String(g.realised)} data-target={String(g.target)}>
                    {g.realised === null && g.withheld === g.unreadable
                      ? <span className="suppressed" data-suppressed="commitment" title={`${g.withheld} province(s) whose figure ${sourceOfIndicator(g.indicator)} withholds from the public: it covers too few cooperatives (disclosure control). Analysts see it.`}>suppressed (too few cooperatives)</span>
                      : g.realised === null
                        ? <span className="na" title={`${g.unreadable} province(s) without a reading: the owning subgraph did not answer`}>{sourceOfIndicator(g.indicator)} data unavailable</span>
                        : quantity(g.realised, g.unit)} <span className="muted">/ {quantity(g.target, g.unit)}</span>
                  </td>
                  <td><Progress value={progress} expected={g.expected} /></td>
                  <td>{single && g.items[0]?.status ? <span className={`status ${g.items[0].status}`} data-status={g.items[0].status}>{STATUS_LABEL[g.items[0].status]}</span> : <StatusCounts statuses={g.statuses} />}</td>
                  {!single && (
                    <td className="lagging">
                      {g.lagging.slice(0, 3).map((l) => <span key={l.code} className={`status ${l.status}`}>{l.name}</span>)}
                      {g.lagging.length > 3 && <span className="muted"> +{g.lagging.length - 3} more</span>}
                    </td>
                  )}
                </tr>
              );
            })}
            {groups.length === 0 && <tr><td colSpan={6} className="empty">No commitment for these regions.</td></tr>}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The owner whose data an indicator reads, from its name (REGISTRY_…, ENERGY_…). */
function sourceOfIndicator(indicator: string): string {
  const key = indicator.split('_')[0]!.toLowerCase() as SliceKey;
  return SOURCES.find((s) => s.key === key)?.owner ?? indicator;
}

interface Column {
  key: string;
  label: string;
  source: SourceKey;
  /** The ministry figures it shows: a suppressed one is shown as such. */
  refs?: FieldRef[];
  numeric: number | ((row: Row) => number | null | undefined);
  show: (row: Row) => ReactNode;
}

function columnsFor(filters: Filters, taskForce: TaskForce | null, pilotSites: PilotSite[] | undefined): Column[] {
  const ofRegistry = (r: Row) => r.registry;
  // With a kind filter the registry slice itself is that kind's (registry(kind:)).
  const formedOf = (r: Row) => r.registry?.cooperatives;
  const withShare = (part: number | null | undefined, whole: number | null | undefined) => (
    <>{int(part)}<span className="sub">{pct(share(part, whole))}</span></>
  );
  const columns: Column[] = [
    { key: 'villages', label: 'Villages', source: 'regions', numeric: (r) => r.regionCounts?.villages, show: (r) => int(r.regionCounts?.villages) },
  ];
  if (filters.category) {
    const c = filters.category;
    const field = CATEGORIES.find((x) => x.value === c)!.field;
    columns.push({ key: 'category', label: `${c} villages`, source: 'development', refs: [['development', field]], numeric: (r) => categoryCount(r, c), show: (r) => withShare(categoryCount(r, c), r.regionCounts?.villages) });
  }
  if (filters.pilot && pilotSites) {
    // Pilot sites are LAN's, like the commitments: 'regions' only says the column never goes unavailable with a ministry.
    const of = (r: Row) => sitesIn(pilotSites, r);
    columns.push({ key: 'pilotSites', label: capitalised(pilotLabel(filters.pilot)), source: 'regions', numeric: (r) => of(r).length, show: (r) => <>{int(of(r).length)}{filters.pilot === 'ANY' && <span className="sub">{modelSummary(of(r))}</span>}</> });
  }
  columns.push(
    { key: 'formed', label: filters.kind ? `Formed (${filters.kind})` : 'Formed', source: 'registry', refs: [['registry', 'cooperatives']], numeric: formedOf, show: (r) => int(formedOf(r)) },
    { key: 'legal', label: 'Legal entity', source: 'registry', refs: [['registry', 'legalEntities']], numeric: (r) => ofRegistry(r)?.legalEntities, show: (r) => withShare(r.registry?.legalEntities, r.registry?.cooperatives) },
    { key: 'eligible', label: 'Loan-eligible', source: 'registry', refs: [['registry', 'loanReady']], numeric: (r) => ofRegistry(r)?.loanReady, show: (r) => withShare(r.registry?.loanReady, r.registry?.cooperatives) },
    { key: 'financed', label: 'Financed', source: 'financing', refs: [['financing', 'cooperativesFinanced']], numeric: (r) => r.financing?.cooperativesFinanced, show: (r) => withShare(r.financing?.cooperativesFinanced, r.registry?.cooperatives) },
    { key: 'operating', label: 'Operating', source: 'registry', refs: [['registry', 'operating']], numeric: (r) => ofRegistry(r)?.operating, show: (r) => withShare(r.registry?.operating, r.registry?.cooperatives) },
    { key: 'disbursed', label: 'Disbursed', source: 'financing', refs: [['financing', 'amountDisbursed']], numeric: (r) => numberOf(r.financing?.amountDisbursed), show: (r) => (r.financing?.amountDisbursed ? rupiah(BigInt(r.financing.amountDisbursed)) : '—') },
    { key: 'kwp', label: 'Solar in service', source: 'energy', refs: [['energy', 'kwpCommissioned']], numeric: (r) => r.energy?.kwpCommissioned, show: (r) => kwp(r.energy?.kwpCommissioned) },
    { key: 'g4', label: '4G or better', source: 'digital', refs: [['digital', 'share4gOrBetter']], numeric: (r) => r.digital?.share4gOrBetter, show: (r) => pct(r.digital?.share4gOrBetter) },
    { key: 'perCoop', label: 'Employees / coop.', source: 'labour', refs: [['labour', 'averagePerCooperative']], numeric: (r) => r.labour?.averagePerCooperative, show: (r) => formatValue(r.labour?.averagePerCooperative, 'dec') },
    { key: 'laggingVillages', label: 'Tertinggal + S.T.', source: 'development', refs: [['development', 'tertinggal'], ['development', 'sangatTertinggal']], numeric: (r) => plus(r.development?.tertinggal, r.development?.sangatTertinggal), show: (r) => int(plus(r.development?.tertinggal, r.development?.sangatTertinggal)) },
  );
  if (taskForce?.status === 'ok') {
    const commitments = (r: Row) => taskForce.byProvince.get(r.code)?.commitments;
    const behind = (r: Row) => commitments(r)?.filter((c) => c.status === 'LATE' || c.status === 'AT_RISK').length;
    columns.push({ key: 'behind', label: 'Commitments late / at risk', source: 'regions', numeric: behind, show: (r) => (commitments(r) ? <>{int(behind(r))}<span className="sub">of {int(commitments(r)!.length)}</span></> : '—') });
  }
  return columns;
}

function RegionTable({ rows, slices, filters, level, onOpen, selected, taskForce, pilotSites }: {
  rows: Row[]; slices: Record<SourceKey, SliceState>; filters: Filters; level: 'province' | 'regency'; onOpen: (row: Row) => void; selected?: string; taskForce: TaskForce | null;
  pilotSites: PilotSite[] | undefined;
}) {
  // Commitments are per province: the column shows at province level only.
  const columns = useMemo(() => columnsFor(filters, level === 'province' ? taskForce : null, pilotSites), [filters, level, taskForce, pilotSites]);
  const [sort, setSort] = useState<{ key: string; desc: boolean }>({ key: 'code', desc: false });
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort.key);
    const valueOf = (row: Row) => (column && typeof column.numeric === 'function' ? column.numeric(row) ?? -Infinity : 0);
    const list = [...rows].sort((a, b) => (column ? valueOf(a) - valueOf(b) : a.code.localeCompare(b.code)));
    return sort.desc ? list.reverse() : list;
  }, [rows, columns, sort]);
  const header = (key: string, label: ReactNode, missing?: string) => (
    <th key={key} scope="col" aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'} title={missing}>
      <button type="button" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'code' }))}>{label}</button>
    </th>
  );
  return (
    <section className="card table-card" aria-label={level === 'province' ? 'Provinces' : 'Regencies'}>
      <h2>{level === 'province' ? 'Provinces' : 'Regencies and cities'} <span className="muted">({rows.length})</span></h2>
      <div className="table-scroll">
        <table className="regions" data-level={level}>
          <thead>
            <tr>
              {header('code', level === 'province' ? 'Province' : 'Regency / city')}
              {columns.map((c) => {
                const down = slices[c.source]?.status === 'unavailable';
                return header(c.key, <>{c.label}{down && <span className="sub unavailable">{sourceOf(c.source).owner} data unavailable</span>}</>, down ? slices[c.source]?.message : undefined);
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.map((row) => (
              <tr key={row.code} data-code={row.code} className={row.code === selected ? 'selected' : undefined}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => onOpen(row)} title={level === 'province' ? 'Show its regencies' : 'Show this regency'}>
                    {row.name}
                  </button>
                  <span className="sub">{row.code}</span>
                </th>
                {columns.map((c) => {
                  const down = slices[c.source]?.status === 'unavailable';
                  const withheld = down || !c.refs ? undefined : withheldOf(row, c.refs);
                  const value = down || withheld || typeof c.numeric !== 'function' ? undefined : c.numeric(row);
                  return (
                    <td key={c.key} data-column={c.key} data-value={value ?? ''} data-suppressed={withheld?.reason}>
                      {down ? <span className="na">n/a</span> : withheld ? <Suppressed figure={withheld} /> : c.show(row)}
                    </td>
                  );
                })}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr><td colSpan={columns.length + 1} className="empty">No region matches these filters.</td></tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function BarChart({ rows, indicator, onOpen }: { rows: Row[]; indicator: Indicator; onOpen?: (row: Row) => void }) {
  const withheld = rows.map((row) => withheldOf(row, refsOf(indicator))).filter((w): w is SuppressedFigure => Boolean(w));
  const points = rows
    .filter((row) => !withheldOf(row, refsOf(indicator)))
    .map((row) => ({ row, value: indicator.value(row) }))
    .filter((p): p is { row: Row; value: number } => typeof p.value === 'number' && Number.isFinite(p.value))
    .sort((a, b) => b.value - a.value);
  const note = withheld.length > 0 && (
    <p className="note" data-note="suppressed">
      <Suppressed figure={withheld[0]!} regions={withheld.length} />: {withheld.length === 1 ? 'its bar is' : 'their bars are'} not drawn, and not drawn as zero.
    </p>
  );
  if (points.length === 0) return note || <p className="note">No figures for these regions.</p>;
  const max = Math.max(...points.map((p) => p.value), indicator.format === 'pct' ? 1 : 0) || 1;
  const bar = 16;
  const gap = 5;
  const labelWidth = 150;
  const width = 520;
  const valueWidth = 90;
  return (
    <>
    <svg viewBox={`0 0 ${width} ${points.length * (bar + gap)}`} role="img" aria-label={indicator.label} className="bar-chart">
      {points.map(({ row, value }, i) => {
        const y = i * (bar + gap);
        const w = Math.max(1, ((width - labelWidth - valueWidth) * value) / max);
        return (
          <g key={row.code} className={onOpen ? 'clickable' : undefined} onClick={onOpen ? () => onOpen(row) : undefined}>
            <title>{`${row.name}: ${formatValue(value, indicator.format)}`}</title>
            <text x={labelWidth - 6} y={y + bar - 4} textAnchor="end" className="bar-label">{row.name.length > 22 ? `${row.name.slice(0, 21)}…` : row.name}</text>
            <rect x={labelWidth} y={y} width={w} height={bar} rx={2} className={`bar source-${indicator.source}`} />
            <text x={labelWidth + w + 5} y={y + bar - 4} className="bar-value">{formatValue(value, indicator.format)}</text>
          </g>
        );
      })}
    </svg>
    {note}
    </>
  );
}

function Charts({ rows, slices, onOpen }: { rows: Row[]; slices: Record<SourceKey, SliceState>; onOpen?: (row: Row) => void }) {
  const [chosen, setChosen] = useState<Record<string, string>>({});
  return (
    <section className="charts" aria-label="Indicators by ministry">
      {SLICES.map((s) => {
        const options = INDICATORS.filter((i) => i.source === s.key);
        const indicator = options.find((i) => i.key === chosen[s.key]) ?? options[0]!;
        return (
          <div key={s.key} className="card chart" data-ministry={s.key}>
            <h3>{s.owner} <span className="muted">{s.label}</span></h3>
            <label className="indicator">
              <span className="visually-hidden">Indicator</span>
              <select value={indicator.key} onChange={(e) => setChosen((c) => ({ ...c, [s.key]: e.target.value }))}>
                {options.map((o) => <option key={o.key} value={o.key}>{o.label}</option>)}
              </select>
            </label>
            {slices[s.key]?.status === 'unavailable'
              ? <p className="unavailable-box">{s.owner} data unavailable{slices[s.key]?.message ? `: ${slices[s.key]!.message}` : ''}</p>
              : <BarChart rows={rows} indicator={indicator} onOpen={onOpen} />}
          </div>
        );
      })}
    </section>
  );
}

/** The pilot sites in scope: how many, of which models; with `villages`, each one's village and region categories. */
function PilotFigure({ sites, pilot, villages }: { sites: PilotSite[]; pilot: Pilot; villages?: boolean }) {
  return (
    <div className={villages ? 'pilot-figure wide' : 'pilot-figure'}>
      <dt>{capitalised(pilotLabel(pilot))}</dt>
      <dd data-field="pilotSites" data-value={sites.length}>
        {int(sites.length)}<span className="sub">{modelSummary(sites)}</span>
        {villages && sites.length > 0 && (
          <ul className="pilot-villages">
            {sites.map((s) => (
              <li key={s.id} data-village={s.village.code}>
                {s.village.name} <span className="muted">{s.village.code} · {modelLabel(s.model)}{s.categories.map((c) => ` · ${c.replace(/_/g, ' ')}`).join('')}</span>
              </li>
            ))}
          </ul>
        )}
      </dd>
    </div>
  );
}

function RegencyDetail({ row, slices, pilot, pilotSites }: { row: Row; slices: Record<SourceKey, SliceState>; pilot?: Pilot; pilotSites?: PilotSite[] }) {
  return (
    <section className="card detail" aria-label={`${row.name} in detail`} data-regency={row.code}>
      <h2>{row.name} <span className="muted">{row.code}</span></h2>
      <dl>
        <div><dt>Villages</dt><dd data-field="villages">{int(row.regionCounts?.villages)} <span className="sub">{int(row.regionCounts?.desa)} desa · {int(row.regionCounts?.kelurahan)} kelurahan</span></dd></div>
        {pilot && pilotSites && <PilotFigure sites={pilotSites} pilot={pilot} villages />}
        {INDICATORS.map((i) => (
          <div key={i.key}>
            <dt>{i.label}</dt>
            <dd data-field={i.key}>{slices[i.source]?.status === 'unavailable'
              ? <span className="na">{sourceOf(i.source).owner} data unavailable</span>
              : withheldOf(row, refsOf(i)) ? <Suppressed figure={withheldOf(row, refsOf(i))!} /> : formatValue(i.value(row), i.format)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function FiltersBar({ filters, onChange, taskForce }: { filters: Filters; onChange: (f: Filters) => void; taskForce: TaskForce | null }) {
  const regions = taskForce?.regions ?? [];
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>Task Force region</span>
        <select name="region" value={filters.region ?? ''} disabled={regions.length === 0}
          onChange={(e) => onChange({ ...filters, region: e.target.value || undefined, province: undefined, regency: undefined })}>
          <option value="">{regions.length || !taskForce ? 'All regions' : 'All (Task Force data unavailable)'}</option>
          {regions.map((r) => <option key={r.code} value={r.code}>{r.code} · {r.coverage}</option>)}
        </select>
      </label>
      <label>
        <span>Village category</span>
        <select name="category" value={filters.category ?? ''} onChange={(e) => onChange({ ...filters, category: (e.target.value || undefined) as Category | undefined, regency: undefined })}>
          <option value="">All categories</option>
          {CATEGORIES.map((c) => <option key={c.value} value={c.value}>{c.value.replace('_', ' ')}</option>)}
        </select>
      </label>
      <label>
        <span>Cooperative kind</span>
        <select name="kind" value={filters.kind ?? ''} onChange={(e) => onChange({ ...filters, kind: (e.target.value || undefined) as Kind | undefined })}>
          <option value="">KDMP and KKMP</option>
          <option value="KDMP">KDMP (desa)</option>
          <option value="KKMP">KKMP (kelurahan)</option>
        </select>
      </label>
      <label>
        <span>Pilot sites</span>
        <select name="pilot" value={filters.pilot ?? ''} onChange={(e) => onChange({ ...filters, pilot: (e.target.value || undefined) as Pilot | undefined, regency: undefined })}>
          <option value="">All, pilot or not</option>
          <option value="ANY">Pilot sites only</option>
          {PILOT_MODELS.map((m) => <option key={m} value={m}>Pilot sites: {modelLabel(m)}</option>)}
        </select>
      </label>
    </form>
  );
}

/** What the filters do, said plainly: which figures they narrow and which they cannot. */
function FilterNotes({ filters, shown, total, region, pilots, pilotsInView }: {
  filters: Filters; shown: number; total: number; region?: TaskForceRegion; pilots: PilotSites | null; pilotsInView: PilotSite[] | undefined;
}) {
  if (!filters.region && !filters.category && !filters.kind && !filters.pilot) return null;
  return (
    <p className="card filter-notes" role="status">
      {region && <>Task Force region <strong>{region.code}</strong> ({region.coverage}{region.lead ? `; lead: ${region.lead}` : ''}). </>}
      {filters.category && <>Regions with at least one <strong>{filters.category}</strong> village (Kemendes PDT); their count and share are in the table. Province and national figures (funnel, charts, commitments) cover every cooperative of those regions. In a regency, a funnel of only its {filters.category} villages' cooperatives would add up each village's figures, which are suppressed for the public (a village holds one cooperative), so it covers the whole regency too. </>}
      {filters.kind && <>Registry figures for <strong>{filters.kind}</strong> only; other ministries' figures cover both kinds. </>}
      {filters.pilot && pilotsInView && (
        <><strong data-pilot-sites={pilotsInView.length}>{int(pilotsInView.length)} {pilotLabel(filters.pilot)}</strong> in view (LAN / Task Force): only regions with at least one are kept, with their count and models in the table.
          {' '}Ministries publish figures per region, not per pilot village, so the funnel, charts and commitments cover every cooperative of those regions, not only the pilot cooperatives. </>
      )}
      {filters.pilot && pilots?.status === 'unavailable' && <>LAN / Task Force pilot sites unavailable ({pilots.message}): the regions are not narrowed to pilot sites. </>}
      {filters.province ? '' : <>Showing {shown} of {total} provinces.</>}
    </p>
  );
}

function App() {
  const [filters, setFilters] = useState<Filters>(readFilters);
  const [national, setNational] = useState<(Level & { kind?: Kind }) | null>(null);
  const [taskForce, setTaskForce] = useState<TaskForce | null>(null);
  const [provinceLevel, setProvinceLevel] = useState<(Level & { code: string; kind?: Kind; name?: string }) | null>(null);
  const [pilots, setPilots] = useState<PilotSites | null>(null);
  const [regencyVillages, setRegencyVillages] = useState<RegencyVillages | null>(null);

  const change = (next: Filters) => {
    setFilters(next);
    writeFilters(next);
  };

  useEffect(() => {
    void loadFirst(filters.kind).then((first) => {
      setNational(first.national);
      setTaskForce(first.taskForce);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Another kind: only the registry is fetched again.
  useEffect(() => {
    if (!national || national.kind === filters.kind) return;
    document.body.dataset.dashboard = 'loading';
    let current = true;
    void reloadRegistry(national, filters.kind).then((level) => current && setNational(level));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filters.kind, national?.kind]);

  useEffect(() => {
    if (!filters.province) return setProvinceLevel(null);
    if (provinceLevel?.code === filters.province && provinceLevel.kind === filters.kind) return;
    document.body.dataset.dashboard = 'loading';
    let current = true;
    const code = filters.province;
    const kind = filters.kind;
    void loadRegencies(code, kind).then((level) => current && setProvinceLevel({ ...level, code, kind }));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filters.province, filters.kind]);

  // Pilot sites: fetched once, the first time the filter is set; the one list serves every level.
  useEffect(() => {
    if (!filters.pilot || pilots) return;
    document.body.dataset.dashboard = 'loading';
    setPilots({ status: 'loading', sites: [] });
    void loadPilotSites().then(setPilots);
  }, [filters.pilot, pilots]);

  // A category in a drilled-into regency: that regency's villages, once per regency and kind (any category then splits them).
  const splitRegency = filters.category && filters.province && filters.regency ? filters.regency : undefined;
  useEffect(() => {
    if (!splitRegency) return;
    if (regencyVillages?.regency === splitRegency && regencyVillages.kind === filters.kind) return;
    document.body.dataset.dashboard = 'loading';
    let current = true;
    const kind = filters.kind;
    setRegencyVillages({ regency: splitRegency, kind, status: 'loading', villages: [] });
    void loadRegencyVillages(splitRegency, kind).then((loaded) => current && setRegencyVillages(loaded));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [splitRegency, filters.kind]);

  const drilling = Boolean(filters.province);
  const level: Level | null = drilling
    ? (provinceLevel && provinceLevel.code === filters.province && provinceLevel.kind === filters.kind ? provinceLevel : null)
    : national?.kind === filters.kind ? national : null;
  const pilotsLoading = Boolean(filters.pilot) && pilots?.status !== 'ok' && pilots?.status !== 'unavailable';
  const villagesOfRegency = splitRegency && regencyVillages?.regency === splitRegency && regencyVillages.kind === filters.kind ? regencyVillages : undefined;
  const splitLoading = Boolean(splitRegency) && (!villagesOfRegency || villagesOfRegency.status === 'loading');
  const ready = Boolean(national && taskForce && level) && !pilotsLoading && !splitLoading;

  // "rendered": every panel of the current view has its data (or knows it is unavailable). Benchmarks and tests wait on it.
  useEffect(() => {
    if (!ready) return;
    document.body.dataset.dashboard = 'rendered';
    document.body.dataset.level = filters.province ?? 'national';
    document.body.dataset.renderedMs ??= String(Math.round(performance.now()));
  }, [ready, level, filters.province, pilots, villagesOfRegency]);

  const region = taskForce?.regions.find((r) => r.code === filters.region);
  const inRegion = (row: Row) => drilling || !region || region.provinces.includes(row.code);
  const inCategory = (row: Row) => !filters.category || (categoryCount(row, filters.category) ?? 1) > 0;
  // Undefined when the filter is off or the sites are unavailable: nothing is narrowed then.
  const pilotSites = filters.pilot && pilots?.status === 'ok' ? pilots.sites.filter((s) => filters.pilot === 'ANY' || s.model === filters.pilot) : undefined;
  const inPilot = (row: Row) => !pilotSites || sitesIn(pilotSites, row).length > 0;
  const rows = (level?.rows ?? []).filter((row) => inRegion(row) && inCategory(row) && inPilot(row));
  const provinceRow = drilling ? national?.rows.find((r) => r.code === filters.province) : undefined;
  const provinceName = drilling ? (provinceLevel?.name ?? provinceRow?.name ?? filters.province) : undefined;
  const selectedRegency = drilling && filters.regency ? rows.find((r) => r.code === filters.regency) : undefined;
  const scopeRows = selectedRegency ? [selectedRegency] : rows;
  const categoryVillages = selectedRegency && filters.category && villagesOfRegency?.status === 'ok'
    ? villagesOfRegency.villages.filter((v) => v.developmentStatus?.status === filters.category)
    : undefined;
  // Each village's figures are its one cooperative's: withheld from the public, so the split cannot be added up.
  const splitSuppressed = categoryVillages?.map((v) => withheldIn(v.registry, STAGES.map((s) => s.field)) ?? withheldIn(v.financing, ['cooperativesFinanced'])).find(Boolean);
  const split: CategorySplit | undefined = categoryVillages && !splitSuppressed
    ? { category: filters.category!, villages: categoryVillages, of: villagesOfRegency!.villages.length }
    : undefined;
  const splitFailed = selectedRegency && villagesOfRegency?.status === 'unavailable' ? villagesOfRegency.message ?? 'no data returned' : undefined;
  const pilotsInView = pilotSites && scopeRows.flatMap((row) => sitesIn(pilotSites, row));
  const narrowed = Boolean(region || filters.category || pilotSites) || rows.length !== (level?.rows.length ?? 0);
  const scope = selectedRegency ? selectedRegency.name
    : drilling ? provinceName!
    : !narrowed ? 'Indonesia'
    : `${region ? `Task Force region ${region.code}` : 'Indonesia'}${filters.category ? `, with ${filters.category} villages` : ''}${filters.pilot && pilotSites ? `, with ${pilotLabel(filters.pilot)}` : ''}`
      + ` (${rows.length} ${rows.length === 1 ? 'province' : 'provinces'})`;
  // Commitments are per province: the provinces in view, or the one drilled into.
  const commitmentProvinces = drilling ? (provinceRow ? [provinceRow] : []) : rows;

  return (
    <div className="page">
      <header className="top">
        <div>
          <h1>Kopdes Merah Putih · Task Force dashboard</h1>
          <p className="muted">Public figures from each ministry's subgraph through the Kopdes Graph gateway. <strong>Ministry data is synthetic.</strong></p>
        </div>
        <nav className="breadcrumb" aria-label="Level">
          {drilling ? (
            <>
              <button type="button" className="link" onClick={() => change({ ...filters, province: undefined, regency: undefined })}>Indonesia</button>
              <span aria-hidden="true"> › </span>
              {selectedRegency ? (
                <>
                  <button type="button" className="link" onClick={() => change({ ...filters, regency: undefined })}>{provinceName}</button>
                  <span aria-hidden="true"> › </span><strong>{selectedRegency.name}</strong>
                </>
              ) : <strong>{provinceName}</strong>}
            </>
          ) : <strong>Indonesia</strong>}
        </nav>
      </header>
      <FiltersBar filters={filters} onChange={change} taskForce={taskForce} />
      <FilterNotes filters={filters} shown={rows.length} total={level?.rows.length ?? 0} region={region} pilots={pilots} pilotsInView={pilotsInView} />
      {!level || !taskForce || pilotsLoading ? (
        <p className="card loading" role="status">Loading figures from every ministry…</p>
      ) : level.fatal ? (
        <p className="card unavailable-box" role="alert">{level.fatal}</p>
      ) : (
        <>
          <Freshness slices={level.slices} taskForce={taskForce} />
          <div className="grid">
            <Funnel rows={scopeRows} slices={level.slices} scope={scope} filters={filters} split={split} splitFailed={splitFailed} splitSuppressed={splitSuppressed} splitPending={Boolean(selectedRegency) && splitLoading} />
            {selectedRegency
              ? <RegencyDetail row={selectedRegency} slices={level.slices} pilot={filters.pilot} pilotSites={pilotsInView} />
              : <RegionSummary rows={scopeRows} slices={level.slices} scope={scope} pilot={filters.pilot} pilotSites={pilotsInView} />}
          </div>
          <Commitments provinces={commitmentProvinces} taskForce={taskForce} scope={drilling ? `${provinceName!}${selectedRegency ? ' (commitments are per province)' : ''}` : scope} single={drilling} />
          <RegionTable
            rows={rows}
            slices={level.slices}
            filters={filters}
            level={drilling ? 'regency' : 'province'}
            selected={filters.regency}
            taskForce={taskForce}
            pilotSites={pilotSites}
            onOpen={(row) => change(drilling ? { ...filters, regency: row.code } : { ...filters, province: row.code, regency: undefined })}
          />
          <Charts rows={rows} slices={level.slices} onOpen={drilling ? (row) => change({ ...filters, regency: row.code }) : (row) => change({ ...filters, province: row.code, regency: undefined })} />
          <p className="note map-note">
            No province map: no province boundary data set with a licence that allows shipping it could be found in the npm registry, the only source this project installs from (see README, <em>Dashboard and export</em>).
          </p>
        </>
      )}
      <footer className="muted">
        Regions: Kemendagri codes and names from idn-area-data (ODbL). Every other figure: synthetic, per ministry, with its own <em>as of</em> date. Stale: more than {STALE_DAYS} days behind the newest ministry.
      </footer>
    </div>
  );
}

/** Headline figures of the scope beside the funnel: villages, categories, money, jobs. */
function RegionSummary({ rows, slices, scope, pilot, pilotSites }: { rows: Row[]; slices: Record<SourceKey, SliceState>; scope: string; pilot?: Pilot; pilotSites?: PilotSite[] }) {
  const ok = (key: SliceKey) => slices[key]?.status === 'ok';
  const figure = (label: string, key: SourceKey, value: ReactNode, field: string) => (
    <div key={field}>
      <dt>{label}</dt>
      <dd data-field={field}>{key !== 'regions' && !ok(key) ? <span className="na">{sourceOf(key).owner} data unavailable</span> : value}</dd>
    </div>
  );
  const summed = (key: SliceKey, field: string, show: (value: number) => ReactNode) => (
    <SumView sum={sumOf(rows, (r) => r[key], field, 0)} owner={sourceOf(key).owner} show={show} />
  );
  const summedRupiah = (key: SliceKey, field: string) => (
    <SumView sum={sumOf(rows, (r) => r[key], field, 0n)} owner={sourceOf(key).owner} show={rupiah} />
  );
  return (
    <section className="card detail summary" aria-label={`${scope} in figures`}>
      <h2>{scope} in figures</h2>
      <dl>
        {figure('Villages', 'regions', <>{int(total(rows, (r) => r.regionCounts?.villages))}<span className="sub">{int(total(rows, (r) => r.regionCounts?.desa))} desa · {int(total(rows, (r) => r.regionCounts?.kelurahan))} kelurahan</span></>, 'villages')}
        {pilot && pilotSites && <PilotFigure sites={pilotSites} pilot={pilot} />}
        {figure('TERTINGGAL / SANGAT TERTINGGAL villages', 'development', <>{summed('development', 'tertinggal', int)} / {summed('development', 'sangatTertinggal', int)}</>, 'tertinggal')}
        {figure('Members', 'registry', summed('registry', 'members', int), 'members')}
        {figure('Amount disbursed', 'financing', summedRupiah('financing', 'amountDisbursed'), 'disbursed')}
        {figure('Cooperatives in arrears', 'financing', summed('financing', 'cooperativesInArrears', int), 'arrears')}
        {figure('Solar in service', 'energy', summed('energy', 'kwpCommissioned', kwp), 'kwp')}
        {figure('Blank-spot villages', 'digital', summed('digital', 'blankSpotVillages', int), 'blankSpots')}
        {figure('Employees', 'labour', summed('labour', 'employees', int), 'employees')}
        {figure('Dana Desa total', 'development', summedRupiah('development', 'danaDesaTotal'), 'danaDesa')}
      </dl>
    </section>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('dashboard.html must contain <div id="root">');
createRoot(root).render(<App />);
