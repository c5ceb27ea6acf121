// Fetching: runs the registered dashboard operations and joins each ministry's slice onto the regions, keeping a failed or stale ministry visible as such.
import {
  type GraphQLError,
  type GraphQLResult,
  type Level,
  type PilotSite,
  type PilotSites,
  type ProvinceTaskForce,
  type RegencyVillages,
  type Registry,
  type Row,
  type SliceKey,
  type Slices,
  SLICES,
  type SliceState,
  type SourceKey,
  sourceOf,
  SOURCES,
  type TaskForce,
  type TaskForceRegion,
  type VillageFigures,
} from './shapes';
import type { Kind } from './state';

declare const __DASHBOARD_OPERATIONS__: Record<string, string>;
export const OPERATIONS: Record<string, string> = __DASHBOARD_OPERATIONS__;

export async function run(operation: string, variables?: Record<string, unknown>): Promise<GraphQLResult> {
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
export function failure(errors: GraphQLError[] | undefined, subgraph: string, alias?: string): string {
  const list = errors ?? [];
  const mine = list.find((e) => e.extensions?.serviceName === subgraph) ?? list.find((e) => alias !== undefined && e.path?.[0] === alias) ?? list[0];
  return mine?.message ?? 'no data returned';
}

export function newest(values: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const v of values) if (v && (!best || Date.parse(v) > Date.parse(best))) best = v;
  return best;
}

export const asOfOf = (key: SliceKey, value: Slices[SliceKey] | null | undefined): string | undefined =>
  value ? (key === 'registry' ? (value as Registry).provenance.asOf : (value as Exclude<Slices[SliceKey], Registry>).asOf) : undefined;
export const sourceTextOf = (key: SliceKey, value: Slices[SliceKey] | null | undefined): string | undefined =>
  value ? (key === 'registry' ? (value as Registry).provenance.source : (value as Exclude<Slices[SliceKey], Registry>).source) : undefined;

/** Attaches each ministry's list (by region code) to the rows and records its state. */
export function attach(
  rows: Row[],
  key: SliceKey,
  list: { code: string; [k: string]: unknown }[] | undefined,
  failed: string | undefined,
  warnings: GraphQLError[],
): SliceState {
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

export async function loadNational(kind: Kind | undefined): Promise<Level & { kind?: Kind }> {
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
export async function reloadRegistry(level: Level, kind: Kind | undefined): Promise<Level & { kind?: Kind }> {
  const result = await run('dashboard-registry', { kind: kind ?? null });
  const rows = level.rows.map(({ registry: _old, ...row }) => ({ ...row }) as Row);
  const list = result.data?.provinces as { code: string }[] | undefined;
  const registry = attach(rows, 'registry', list, list ? undefined : failure(result.errors, 'cooperatives'), result.errors ?? []);
  return { ...level, rows, slices: { ...level.slices, registry }, kind };
}

export type TaskForceData = {
  taskForceRegions: (Omit<TaskForceRegion, 'provinces'> & { provinces: { code: string }[] })[];
  provinces: { code: string; taskForce: ProvinceTaskForce | null }[];
};

export async function loadTaskForce(): Promise<TaskForce> {
  const empty = { regions: [], byProvince: new Map<string, ProvinceTaskForce | null>() };
  if (!OPERATIONS['dashboard-task-force']) return { status: 'absent', ...empty };
  const result = await run('dashboard-task-force');
  const data = result.data as TaskForceData | null | undefined;
  if (!data) return { status: 'unavailable', message: failure(result.errors, 'collaboration'), ...empty };
  return taskForceOf(data, result.errors);
}

export function taskForceOf(data: TaskForceData, errors: GraphQLError[] | undefined): TaskForce {
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
export async function loadFirst(kind: Kind | undefined): Promise<{ national: Level & { kind?: Kind }; taskForce: TaskForce }> {
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

export async function loadRegencies(province: string, kind: Kind | undefined): Promise<Level & { name?: string }> {
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
export async function loadRegencyVillages(regency: string, kind: Kind | undefined): Promise<RegencyVillages> {
  const result = await run('dashboard-regency-villages', { regency, kind: kind ?? null });
  const villages = (result.data?.regency as { villages: VillageFigures[] } | null | undefined)?.villages;
  if (!villages || result.errors?.length) return { regency, kind, status: 'unavailable', message: failure(result.errors, 'cooperatives'), villages: [] };
  return { regency, kind, status: 'ok', villages };
}

export async function loadPilotSites(): Promise<PilotSites> {
  const result = await run('dashboard-pilot-sites');
  const sites = result.data?.pilotSites as PilotSite[] | undefined;
  return sites ? { status: 'ok', sites } : { status: 'unavailable', message: failure(result.errors, 'collaboration'), sites: [] };
}
