import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALLER_HEADER,
  createSubgraphServer,
  gatewayPublicKeys,
  generateSigningKeys,
  openSubgraphDatabase,
  signCaller,
  type Database,
  type SigningKeys,
  type SubgraphServer,
} from '@kopdes/kit';
import { regions } from '../src/subgraph';

/**
 * Rotating the gateway's signing key with no failed request (docs/operations.md): subgraph
 * replicas first accept the old and the new public key, then gateway replicas switch to the new
 * private key, then the old public key is dropped. Each step is a rolling restart, so replicas
 * of both kinds serve side by side; every request of every step must be answered.
 */
const QUERY = '{ province(code: "35") { code name } }';
const running: SubgraphServer[] = [];
// Replicas of one subgraph share its database, as in production.
let db: Database<unknown>;
let oldKeys: SigningKeys & { privateKeyPem: string };
let newKeys: SigningKeys & { privateKeyPem: string };

async function replica(publicKeyPem: string): Promise<SubgraphServer> {
  // The subgraph reads its keys as in production: every PEM block of KOPDES_GATEWAY_PUBLIC_KEY.
  const gatewayKey = await gatewayPublicKeys({ KOPDES_GATEWAY_PUBLIC_KEY: publicKeyPem });
  const server = await createSubgraphServer(regions, db, { gatewayKey });
  await server.listen(0);
  running.push(server);
  return server;
}

/** One request as a gateway replica holding `signer` would send it; resolves to the HTTP status. */
async function ask(server: SubgraphServer, signer: SigningKeys): Promise<number> {
  const res = await fetch(server.url(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CALLER_HEADER]: await signCaller({ subject: 'rotation-test', role: 'public' }, signer.privateKey) },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = (await res.json()) as { data?: { province: { code: string } } };
  return res.status === 200 && body.data?.province.code === '35' ? 200 : res.status;
}

/** Every gateway replica asks every subgraph replica a few times: the statuses seen. */
async function traffic(subgraphs: SubgraphServer[], gateways: SigningKeys[]): Promise<number[]> {
  const asks = subgraphs.flatMap((s) => gateways.flatMap((g) => [1, 2, 3].map(() => ask(s, g))));
  return Promise.all(asks);
}

beforeAll(async () => {
  [oldKeys, newKeys] = await Promise.all([generateSigningKeys(), generateSigningKeys()]);
  ({ db } = await openSubgraphDatabase(regions, { dataDir: 'memory://', scope: '35.14.01', seed: true }));
});

afterAll(async () => {
  // Each replica's HTTP server; the shared database once.
  await Promise.all(
    running.map(
      (s) =>
        new Promise((resolve) => {
          s.http.closeAllConnections();
          s.http.close(resolve);
        }),
    ),
  );
  await db?.close();
});

describe('signing-key rotation', () => {
  it('reads one or two public keys from KOPDES_GATEWAY_PUBLIC_KEY and refuses text without a key', async () => {
    expect(await gatewayPublicKeys({ KOPDES_GATEWAY_PUBLIC_KEY: oldKeys.publicKeyPem })).toHaveLength(1);
    expect(await gatewayPublicKeys({ KOPDES_GATEWAY_PUBLIC_KEY: `${oldKeys.publicKeyPem}\n${newKeys.publicKeyPem}` })).toHaveLength(2);
    await expect(gatewayPublicKeys({ KOPDES_GATEWAY_PUBLIC_KEY: 'not a key' })).rejects.toThrow(/holds no "-----BEGIN PUBLIC KEY-----" block/);
  });

  it('answers every request before, during and after the three steps of a rotation', async () => {
    const both = `${oldKeys.publicKeyPem}\n${newKeys.publicKeyPem}`;
    // Before: every replica knows only the old key.
    const before = [await replica(oldKeys.publicKeyPem), await replica(oldKeys.publicKeyPem)];
    expect(new Set(await traffic(before, [oldKeys]))).toEqual(new Set([200]));
    // Step 1, subgraphs roll to both keys: old-key and two-key replicas serve side by side.
    const step1 = [before[0]!, await replica(both)];
    expect(new Set(await traffic(step1, [oldKeys]))).toEqual(new Set([200]));
    const twoKeys = [step1[1]!, await replica(both)];
    // Step 2, gateways roll to the new private key: old- and new-key gateways side by side.
    expect(new Set(await traffic(twoKeys, [oldKeys, newKeys]))).toEqual(new Set([200]));
    // Step 3, subgraphs roll to the new key alone, once no gateway signs with the old one.
    const step3 = [twoKeys[0]!, await replica(newKeys.publicKeyPem)];
    expect(new Set(await traffic(step3, [newKeys]))).toEqual(new Set([200]));
  });

  it('refuses a key it was not given, which is why the order of the steps matters', async () => {
    const oldOnly = await replica(oldKeys.publicKeyPem);
    const newOnly = await replica(newKeys.publicKeyPem);
    expect(await ask(oldOnly, newKeys)).toBe(401);
    expect(await ask(newOnly, oldKeys)).toBe(401);
  });
});
