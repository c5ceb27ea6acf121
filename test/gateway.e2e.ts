import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, golden, startPlatform, type TestPlatform } from './helpers';

let analyst: Record<string, string>;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
  analyst = { authorization: await bearer({ subject: 'e2e-analyst', role: 'analyst' }) };
});
afterAll(async () => {
  await platform?.stop();
});

const REGENCY_WITH_COOPERATIVES = `query RegencyCooperatives($code: ID!) {
  regency(code: $code) {
    code name type province { code name }
    regionCounts { villages desa kelurahan districts }
    registry { cooperatives kdmp kkmp legalEntities operating }
    districts {
      code name
      villages { code name kind cooperatives { id name kind stage members businessUnits { type status } } }
    }
  }
}`;

describe('gateway over regions and cooperatives', () => {
  it('answers a regency with its villages and their cooperatives (golden)', async () => {
    const { body } = await platform.query(REGENCY_WITH_COOPERATIVES, { code: '3514' }, analyst);
    expect(body.errors).toBeUndefined();
    expect(body).toEqual(await golden('regency-35.14-cooperatives', body));
    const regency = (body.data as { regency: { registry: { cooperatives: number }; regionCounts: { villages: number } } }).regency;
    // One cooperative per village in the synthetic registry.
    expect(regency.registry.cooperatives).toBe(regency.regionCounts.villages);
  });

  it('joins a cooperative to its village, district, regency and province', async () => {
    const { body } = await platform.query(
      `{ cooperative(id: "KKMP-35.14.14.1001") {
      id kind village { code name kind district { name } regency { name } province { name } } } }`,
      undefined,
      analyst,
    );
    expect(body).toEqual({
      data: {
        cooperative: {
          id: 'KKMP-35.14.14.1001',
          kind: 'KKMP',
          village: {
            code: '35.14.14.1001',
            name: 'Kolursari',
            kind: 'KELURAHAN',
            district: { name: 'Bangil' },
            regency: { name: 'Kabupaten Pasuruan' },
            province: { name: 'Jawa Timur' },
          },
        },
      },
    });
  });

  it('counts cooperatives of a region prefix equal to its villages', async () => {
    const { body } = await platform.query<{ cooperatives: { totalCount: number }; regency: { regionCounts: { villages: number } } }>(
      '{ cooperatives(filter: { regionCode: "35" }) { totalCount } regency(code: "35.14") { regionCounts { villages } } }',
      undefined,
      analyst,
    );
    expect(body.data!.cooperatives.totalCount).toBe(body.data!.regency.regionCounts.villages);
  });

  it('accepts undotted codes and returns null for unknown ones, BAD_USER_INPUT for malformed ones', async () => {
    const ok = await platform.query('{ village(code: "3514141001") { code } unknown: village(code: "35.14.14.9999") { code } }');
    expect(ok.body).toEqual({ data: { village: { code: '35.14.14.1001' }, unknown: null } });
    const bad = await platform.query('{ regency(code: "Pasuruan") { code } }');
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0]?.message).toMatch(/Expected a Kemendagri code/);
  });

  it('serves a bundled GraphiQL at / that loads nothing from another host', async () => {
    const page = await fetch(`${platform.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    const scripts = [...html.matchAll(/(?:src|href)="(\/ui\/[^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const asset of scripts) {
      const res = await fetch(`${platform.url}${asset}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      // Runtime loads from CDNs would appear as @import/url()/fetch of these hosts.
      expect(text).not.toMatch(/(unpkg\.com|cdn\.jsdelivr|cdnjs|fonts\.googleapis|embeddable-sandbox)/);
    }
  });

  it('reports health once the supergraph is loaded and returns a request id', async () => {
    const health = await fetch(`${platform.url}/health`);
    expect(health.status).toBe(200);
    const { headers } = await platform.query('{ provinces { code } }', undefined, { 'x-request-id': 'test-123' });
    expect(headers.get('x-request-id')).toBe('test-123');
  });
});
