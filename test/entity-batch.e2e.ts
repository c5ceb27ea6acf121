/**
 * Batching `_entities` fetches across requests over the real platform: requests of different
 * callers sent at once get exactly the answers each gets alone (village figures suppressed for the
 * public, not for analysts), while some subgraph fetches carry several requests' entities.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/** Village figures from two subgraphs: public, but suppressed for the public where fewer than three cooperatives contribute. */
const DISTRICT = `query District($code: ID!) {
  district(code: $code) {
    code
    villages {
      code
      name
      registry { cooperatives members suppressed { field reason } }
      financing { loans outstanding suppressed { field reason } }
    }
  }
}`;

let platform: TestPlatform;
let callers: { label: string; headers: Record<string, string> }[];
let districts: string[];

beforeAll(async () => {
  platform = await startPlatform();
  callers = [
    { label: 'public', headers: {} },
    { label: 'analyst', headers: { authorization: await bearer({ subject: 'batch-analyst', role: 'analyst' }) } },
  ];
  const found = await platform.query<{ regency: { districts: { code: string }[] } }>('{ regency(code: "35.14") { districts { code } } }');
  districts = found.body.data!.regency.districts.map((d) => d.code).slice(0, 6);
});

afterAll(() => platform?.stop());

/** Subgraph requests that carried the `_entities` reads of more than one request, from /metrics. */
async function sharedBatches(): Promise<number> {
  const text = await (await fetch(`${platform.url}/metrics`)).text();
  const count = (pattern: string) =>
    [...text.matchAll(new RegExp(`^kopdes_gateway_entity_batch_requests_${pattern} (\\S+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
  return count('count\\{[^}]*\\}') - count('bucket\\{le="1",[^}]*\\}');
}

const ask = (code: string, headers: Record<string, string>) => platform.query(DISTRICT, { code }, headers);

describe('batching _entities fetches across requests', () => {
  it('gives each caller, in a crowd of concurrent requests, exactly the answer it gets alone', async () => {
    const work = callers.flatMap((caller) => districts.map((code) => ({ caller, code })));
    const alone = new Map<string, unknown>();
    for (const { caller, code } of work) alone.set(`${caller.label} ${code}`, (await ask(code, caller.headers)).body);
    // The callers see different things, so an answer crossing them would show.
    expect(alone.get(`public ${districts[0]}`)).not.toEqual(alone.get(`analyst ${districts[0]}`));
    expect(JSON.stringify(alone.get(`public ${districts[0]}`))).toContain('BELOW_THRESHOLD');

    const before = await sharedBatches();
    // Rounds of all requests at once (each checked whole), at least five and until some fetches were batched.
    for (let round = 0; round < 5 || (round < 20 && (await sharedBatches()) === before); round += 1) {
      const together = await Promise.all(work.map(({ caller, code }) => ask(code, caller.headers)));
      together.forEach((answer, i) => expect(answer.body).toEqual(alone.get(`${work[i]!.caller.label} ${work[i]!.code}`)));
    }
    expect(await sharedBatches()).toBeGreaterThan(before);
  });
});
