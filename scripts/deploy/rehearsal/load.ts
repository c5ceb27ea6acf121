/**
 * The rehearsal's clients: front ends reading profiles, region lists and dashboard aggregates,
 * analysts exporting, and a ministry writing hires with idempotency keys (retried with the same key
 * on any failure, as a client would). Every attempt is recorded: when, how long, what came back.
 */
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';
import { loadOperations } from '../../../gateway/src/operations';

export interface Shot {
  op: string;
  /** Milliseconds since the load started. */
  at: number;
  ms: number;
  /** "ok", or the failure: network:<code>, http:<status>, partial:<code> (data with a subgraph's fields null), error:<code>. */
  outcome: string;
  gateway?: string;
}

export interface LoadPlan {
  gatewayUrl: string;
  run: string;
  tokens: { analyst: string; officer: string };
  cooperativeIds: string[];
  regencyCodes: string[];
  provinceCode: string;
  /** Cooperatives the writer records hires for. */
  writeTargets: string[];
}

const operations = new Map(loadOperations(path.join(repoRoot, 'schema/operations')).map((o) => [o.name, o.document]));
const doc = (name: string) =>
  operations.get(name) ??
  (() => {
    throw new Error(`no registered operation ${name}`);
  })();
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** The new field the supergraph roll adds (served by labour all along; absent from the previous supergraph). */
export const NEW_FIELD_QUERY = 'query HireRecords($id: ID!) { cooperative(id: $id) { id labour { employees hireRecords { hiredOn count } } } }';
const RECORD_HIRES =
  'mutation RecordHires($key: String!, $input: RecordHiresInput!) { recordHires(idempotencyKey: $key, input: $input) { id labour { employees } } }';

function classify(status: number, body: { data?: unknown; errors?: { extensions?: { code?: string } }[] } | undefined): string {
  if (status !== 200) return `http:${status}`;
  if (!body?.errors?.length) return 'ok';
  const code = String(body.errors[0]!.extensions?.code ?? 'UNKNOWN');
  return body.data && code.startsWith('SUBGRAPH_') ? `partial:${code}` : `error:${code}`;
}

export class Load {
  readonly shots: Shot[] = [];
  readonly acknowledged: string[] = [];
  readonly abandoned: string[] = [];
  private started = 0;
  private stopping = false;
  newField = false;

  constructor(private readonly plan: LoadPlan) {}

  private async request(op: string, url: string, init: RequestInit, parse: (res: Response) => Promise<string>): Promise<string> {
    const t0 = performance.now();
    let outcome: string;
    let gateway: string | undefined;
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
      gateway = res.headers.get('x-served-by') ?? undefined;
      outcome = await parse(res);
    } catch (error) {
      const e = error as { name?: string; cause?: { code?: string } };
      outcome = `network:${e.cause?.code ?? e.name ?? 'error'}`;
    }
    this.shots.push({ op, at: t0 - this.started, ms: performance.now() - t0, outcome, gateway });
    return outcome;
  }

  private graphql(op: string, query: string, variables: Record<string, unknown>, token?: string): Promise<string> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    // The public are told apart by address behind the load balancer (TRUST_PROXY): a label of this run's own.
    else headers['x-forwarded-for'] = `rehearsal-${this.plan.run}-public`;
    return this.request(op, `${this.plan.gatewayUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) }, async (res) =>
      classify(res.status, (await res.json().catch(() => undefined)) as never),
    );
  }

  /** One read of the mix: profiles, region lists, dashboard aggregates, regency lists, exports. */
  private read(): Promise<string> {
    const { tokens, cooperativeIds, regencyCodes, provinceCode } = this.plan;
    const roll = Math.random();
    if (this.newField && roll < 0.08) return this.graphql('new-field', NEW_FIELD_QUERY, { id: pick(this.plan.writeTargets) }, tokens.analyst);
    if (roll < 0.4) return this.graphql('profile', doc('cooperative-profile'), { id: pick(cooperativeIds) }, tokens.analyst);
    if (roll < 0.6) return this.graphql('region-list', doc('cooperatives-by-region'), { regionCode: pick(regencyCodes), after: null }, tokens.analyst);
    if (roll < 0.75) return this.graphql('dashboard', doc('dashboard-regencies'), { province: provinceCode, kind: pick([null, 'KDMP', 'KKMP']) });
    if (roll < 0.93) return this.graphql('regency', doc('regency-cooperatives'), { code: pick(regencyCodes) }, tokens.analyst);
    const variables = encodeURIComponent(JSON.stringify({ region: pick(regencyCodes) }));
    return this.request(
      'export',
      `${this.plan.gatewayUrl}/export?operation=question-3-lagging-villages-trained-boards&format=csv&variables=${variables}`,
      { headers: { authorization: `Bearer ${tokens.analyst}` } },
      async (res) => {
        await res.arrayBuffer();
        return res.status === 200 ? (Number(res.headers.get('x-export-errors') ?? 0) > 0 ? 'partial:EXPORT' : 'ok') : `http:${res.status}`;
      },
    );
  }

  /** One hire, retried with the same idempotency key until it is acknowledged (or 30 attempts). */
  private async write(n: number): Promise<void> {
    const key = `rehearsal-${this.plan.run}-${n}`;
    const input = { cooperativeId: this.plan.writeTargets[n % this.plan.writeTargets.length], hiredOn: '2026-01-05', count: 1 };
    for (let attempt = 1; attempt <= 30; attempt += 1) {
      if ((await this.graphql('write', RECORD_HIRES, { key, input }, this.plan.tokens.officer)) === 'ok') {
        this.acknowledged.push(key);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * attempt, 1_000)));
    }
    this.abandoned.push(key);
  }

  /** Runs `readers` closed-loop readers and one writer until stop(); resolves when they have finished. */
  run(readers: number): Promise<void> {
    this.started = performance.now();
    const reader = async () => {
      while (!this.stopping) await this.read();
    };
    const writer = async () => {
      for (let n = 0; !this.stopping; n += 1) await this.write(n);
    };
    return Promise.all([...Array.from({ length: readers }, reader), writer()]).then(() => undefined);
  }

  elapsed(): number {
    return performance.now() - this.started;
  }

  stop(): void {
    this.stopping = true;
  }
}
