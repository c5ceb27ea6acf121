import { describe, expect, it } from 'vitest';
import {
  type Coverage,
  counts,
  decideUnit,
  disclosedAggregateLoader,
  discloseFigures,
  type Equation,
  passes,
  regionGroupsSql,
  type RegionGroup,
  SuppressionReason,
  total,
} from '@kopdes/kit';
import { ANALYST, PUBLIC } from '@kopdes/kit/testing';

const K = 3;
const count = (n: number): Coverage[] => [{ population: n, contributors: n }];
const sum = (contributors: number, population: number): Coverage[] => [{ population, contributors }];

describe('the primary rule', () => {
  it('publishes a cell covering at least K units whose total is made of none or at least K of them', () => {
    expect(passes({ population: 2, contributors: 2 }, K)).toBe(false);
    expect(passes({ population: 3, contributors: 3 }, K)).toBe(true);
    expect(passes({ population: 300, contributors: 1 }, K)).toBe(false); // one cooperative's amount
    expect(passes({ population: 300, contributors: 0 }, K)).toBe(true); // nobody has any: a group fact
    expect(passes({ population: 1, contributors: 0 }, K)).toBe(false); // a zero would tell the one cooperative's value
    expect(passes({ population: 0, contributors: 0 }, K)).toBe(false); // else null would mean "has a cooperative"
  });
});

describe('secondary suppression', () => {
  const decide = (cells: Record<string, Coverage[]>, equations: Equation[]) => Object.fromEntries(decideUnit(new Map(Object.entries(cells)), equations, K));

  it('suppresses the smallest sibling with contributors when one suppressed cell could be derived from its parent', () => {
    const decided = decide({ P: sum(12, 100), A: sum(1, 20), B: sum(0, 30), C: sum(5, 25), D: sum(6, 25) }, [{ parent: 'P', children: ['A', 'B', 'C', 'D'] }]);
    // B adds no contributor: A's amount would still be P - C - D. C is the smallest that helps.
    // (P covers 100 units; the children's figures need not add up in this sketch.)
    expect(decided).toEqual({ A: SuppressionReason.BELOW_THRESHOLD, C: SuppressionReason.COMPLEMENTARY });
  });

  it('adds siblings until a too-small suppressed group of units covers K', () => {
    const decided = decide({ P: count(40), A: count(1), B: count(20), C: count(4), D: count(15) }, [{ parent: 'P', children: ['A', 'B', 'C', 'D'] }]);
    expect(decided).toEqual({ A: SuppressionReason.BELOW_THRESHOLD, C: SuppressionReason.COMPLEMENTARY });
  });

  it('leaves a group alone when its suppressed cells cover nobody, or already K together', () => {
    expect(decide({ P: count(10), A: count(0), B: count(10) }, [{ parent: 'P', children: ['A', 'B'] }])).toEqual({ A: SuppressionReason.BELOW_THRESHOLD });
    expect(decide({ P: count(13), A: count(1), B: count(2), C: count(10) }, [{ parent: 'P', children: ['A', 'B', 'C'] }])).toEqual({
      A: SuppressionReason.BELOW_THRESHOLD,
      B: SuppressionReason.BELOW_THRESHOLD,
    });
  });

  it('suppresses every child of a suppressed parent, so it cannot be rebuilt from them', () => {
    const decided = decide({ R: sum(2, 50), V1: sum(0, 25), V2: sum(2, 25) }, [{ parent: 'R', children: ['V1', 'V2'] }]);
    expect(decided).toEqual({ R: SuppressionReason.BELOW_THRESHOLD, V1: SuppressionReason.COMPLEMENTARY, V2: SuppressionReason.BELOW_THRESHOLD });
  });

  it('keeps a small kind part from being derived as the region minus the other part, and protects that part among its siblings', () => {
    // Regencies A and B of province P, each split into KDMP and KKMP; A has one kelurahan cooperative.
    const cells = {
      'P|': count(80),
      'P|KDMP': count(70),
      'P|KKMP': count(10),
      'A|': count(31),
      'A|KDMP': count(30),
      'A|KKMP': count(1),
      'B|': count(49),
      'B|KDMP': count(40),
      'B|KKMP': count(9),
    };
    const equations: Equation[] = [
      ...['', 'KDMP', 'KKMP'].map((p) => ({ parent: `P|${p}`, children: [`A|${p}`, `B|${p}`] })),
      ...['P', 'A', 'B'].map((r) => ({ parent: `${r}|`, children: [`${r}|KDMP`, `${r}|KKMP`] })),
    ];
    expect(decide(cells, equations)).toEqual({
      'A|KKMP': SuppressionReason.BELOW_THRESHOLD,
      'A|KDMP': SuppressionReason.COMPLEMENTARY, // else A's KKMP = A - A's KDMP
      'B|KKMP': SuppressionReason.COMPLEMENTARY, // else A's KKMP = P's KKMP - B's KKMP
      'B|KDMP': SuppressionReason.COMPLEMENTARY, // else B's KKMP = B - B's KDMP
    });
  });

  it("holds on random trees: every published parent's suppressed children pass together, and suppression reaches down", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const cells = new Map<string, Coverage[]>();
      const equations: Equation[] = [];
      let pTotal = { population: 0, contributors: 0 };
      const regencies: string[] = [];
      for (let r = 0; r < 1 + Math.floor(random() * 6); r++) {
        const villages: string[] = [];
        let rTotal = { population: 0, contributors: 0 };
        for (let v = 0; v < 1 + Math.floor(random() * 6); v++) {
          const population = Math.floor(random() * 4);
          const contributors = Math.min(population, Math.floor(random() * 3));
          cells.set(`R${r}V${v}`, [{ population, contributors }]);
          villages.push(`R${r}V${v}`);
          rTotal = { population: rTotal.population + population, contributors: rTotal.contributors + contributors };
        }
        cells.set(`R${r}`, [rTotal]);
        equations.push({ parent: `R${r}`, children: villages });
        regencies.push(`R${r}`);
        pTotal = { population: pTotal.population + rTotal.population, contributors: pTotal.contributors + rTotal.contributors };
      }
      cells.set('P', [pTotal]);
      equations.unshift({ parent: 'P', children: regencies });
      const decided = decideUnit(cells, equations, K);
      for (const { parent, children } of equations) {
        if (decided.has(parent)) {
          expect(children.every((c) => decided.has(c))).toBe(true);
          continue;
        }
        const suppressed = children.filter((c) => decided.has(c));
        const hidden = suppressed.reduce(
          (s, c) => ({
            population: s.population + cells.get(c)![0]!.population,
            contributors: s.contributors + cells.get(c)![0]!.contributors,
          }),
          { population: 0, contributors: 0 },
        );
        const withUnits = suppressed.filter((c) => cells.get(c)![0]!.population > 0).length;
        expect(hidden.population === 0 || (passes(hidden, K) && withUnits >= 2), JSON.stringify({ round, parent, hidden })).toBe(true);
      }
      for (const [id, [cover]] of cells) if (!decided.has(id)) expect(passes(cover!, K)).toBe(true);
    }
  });
});

/** Suppressed cells whose value the published cells determine exactly (Gaussian elimination over the equations). */
function determined(cells: ReadonlyMap<string, Coverage[]>, equations: readonly Equation[], suppressed: ReadonlySet<string>): string[] {
  const hidden = [...suppressed].filter((id) => (cells.get(id) ?? []).some((c) => c.population > 0));
  const column = new Map(hidden.map((id, i) => [id, i]));
  const rows = equations
    .map(({ parent, children }) => {
      const row = new Array<number>(hidden.length).fill(0);
      if (column.has(parent)) row[column.get(parent)!]! -= 1;
      for (const c of children) if (column.has(c)) row[column.get(c)!]! += 1;
      return row;
    })
    .filter((row) => row.some((x) => x !== 0));
  // Reduced row echelon form; a variable is determined when some row has it as its only non-zero.
  let lead = 0;
  for (let r = 0; r < rows.length && lead < hidden.length; lead++) {
    const pivot = rows.findIndex((row, i) => i >= r && Math.abs(row[lead]!) > 1e-9);
    if (pivot < 0) continue;
    [rows[r], rows[pivot]] = [rows[pivot]!, rows[r]!];
    const p = rows[r]![lead]!;
    rows[r] = rows[r]!.map((x) => x / p);
    rows.forEach((row, i) => {
      if (i === r || Math.abs(row[lead]!) < 1e-9) return;
      const f = row[lead]!;
      rows[i] = row.map((x, j) => x - f * rows[r]![j]!);
    });
    r++;
  }
  return hidden.filter((_, i) => rows.some((row) => Math.abs(row[i]! - 1) < 1e-9 && row.every((x, j) => j === i || Math.abs(x) < 1e-9)));
}

describe('the rule on regions split into kinds', () => {
  it('leaves no cell below the threshold exactly derivable from the published ones, on random provinces', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const parts = ['KDMP', 'KKMP'];
    for (let round = 0; round < 300; round++) {
      const cells = new Map<string, Coverage[]>();
      const equations: Equation[] = [];
      const bump = (id: string, n: number) => cells.set(id, count((cells.get(id)?.[0]?.population ?? 0) + n));
      const regencies: string[] = [];
      for (let r = 0; r < 2 + Math.floor(random() * 4); r++) {
        const villages: Record<string, string[]> = { KDMP: [], KKMP: [] };
        for (let v = 0; v < 1 + Math.floor(random() * 5); v++) {
          const kind = parts[random() < 0.3 ? 1 : 0]!;
          const n = Math.floor(random() * 5);
          const id = `R${r}V${v}`;
          for (const part of ['', kind]) {
            bump(`${id}|${part}`, n);
            bump(`R${r}|${part}`, n);
            bump(`P|${part}`, n);
          }
          bump(`${id}|${kind === 'KDMP' ? 'KKMP' : 'KDMP'}`, 0);
          villages[kind]!.push(id);
        }
        for (const part of ['', ...parts]) {
          bump(`R${r}|${part}`, 0);
          const children = part ? villages[part]! : [...villages.KDMP!, ...villages.KKMP!];
          equations.push({ parent: `R${r}|${part}`, children: children.map((v) => `${v}|${part}`) });
        }
        for (const v of [...villages.KDMP!, ...villages.KKMP!]) equations.push({ parent: `${v}|`, children: parts.map((p) => `${v}|${p}`) });
        equations.push({ parent: `R${r}|`, children: parts.map((p) => `R${r}|${p}`) });
        regencies.push(`R${r}`);
      }
      for (const part of ['', ...parts]) {
        bump(`P|${part}`, 0);
        equations.unshift({ parent: `P|${part}`, children: regencies.map((r) => `${r}|${part}`) });
      }
      equations.push({ parent: 'P|', children: parts.map((p) => `P|${p}`) });
      // At once, and as the loader does it: provinces and regencies first, then villages under them as decided.
      const village = (id: string) => id.includes('V');
      const upper = decideUnit(
        new Map([...cells].filter(([id]) => !village(id))),
        equations.filter((e) => !village(e.parent) && !e.children.some(village)),
        K,
      );
      const frozen = new Map([...cells.keys()].filter((id) => !village(id)).map((id) => [id, upper.get(id) ?? null]));
      const phased = new Map([...upper, ...decideUnit(cells, equations, K, frozen)]);
      for (const decided of [decideUnit(cells, equations, K), phased]) {
        const below = [...decided].filter(([, reason]) => reason === SuppressionReason.BELOW_THRESHOLD).map(([id]) => id);
        const exposed = determined(cells, equations, new Set(decided.keys())).filter((id) => below.includes(id));
        expect(exposed, `round ${round}`).toEqual([]);
      }
    }
  });
});

describe('the disclosed aggregate loader', () => {
  interface Row {
    code: string;
    asOf: Date;
    cooperatives: number;
    amount: number;
    amountCooperatives: number;
  }
  const spec = [counts<Row>(['cooperatives'], 'cooperatives'), total<Row>('amount', 'amountCooperatives', 'cooperatives')];
  const day = (d: number) => new Date(Date.UTC(2026, 0, d));
  // Province 11 with regencies 11.01 (three villages, one with an amount) and 11.02 (eight); one cooperative per village.
  const villages: Row[] = [
    { code: '11.01.01.2001', asOf: day(3), cooperatives: 1, amount: 500, amountCooperatives: 1 },
    { code: '11.01.01.2002', asOf: day(9), cooperatives: 1, amount: 0, amountCooperatives: 0 },
    { code: '11.01.02.2003', asOf: day(2), cooperatives: 1, amount: 0, amountCooperatives: 0 },
    ...Array.from({ length: 8 }, (_, i) => ({ code: `11.02.01.20${10 + i}`, asOf: day(1), cooperatives: 1, amount: 100, amountCooperatives: 1 })),
  ];
  const rollUp = (column: 'provinceCode' | 'regencyCode' | 'villageCode', group: RegionGroup): Row[] => {
    const cut = { provinceCode: 1, regencyCode: 2, villageCode: 4 }[column];
    const inGroup = villages.filter((v) => !group.within || group.within.some((w) => v.code.startsWith(`${w}.`)));
    const rows = new Map<string, Row>();
    for (const v of inGroup) {
      const code = v.code.split('.').slice(0, cut).join('.');
      const r = rows.get(code) ?? { code, asOf: day(0), cooperatives: 0, amount: 0, amountCooperatives: 0 };
      rows.set(code, {
        code,
        asOf: v.asOf > r.asOf ? v.asOf : r.asOf,
        cooperatives: r.cooperatives + v.cooperatives,
        amount: r.amount + v.amount,
        amountCooperatives: r.amountCooperatives + v.amountCooperatives,
      });
    }
    return [...rows.values()];
  };
  const loader = (fetches: RegionGroup[][]) =>
    disclosedAggregateLoader<Row>({
      spec,
      fetch: async (groups) => {
        fetches.push(groups);
        return groups.flatMap((g) => rollUp(g.column, g));
      },
    });

  it("fetches a village's whole group and its regency's in one call, and decides each cell the same whichever query asks", async () => {
    const fetches: RegionGroup[][] = [];
    const byVillage = await loader(fetches).loadMany([{ code: '11.01.01.2001' }, { code: '11.01.01.2002' }, { code: '11.01' }]);
    const byRegency = await loader(fetches).load({ code: '11.01' });
    expect(fetches).toEqual([
      [
        { column: 'regencyCode', within: ['11'] },
        { column: 'villageCode', within: ['11.01'] },
      ],
      [{ column: 'regencyCode', within: ['11'] }],
    ]);
    const [v1, v2, regency] = byVillage as Awaited<ReturnType<ReturnType<typeof loader>['load']>>[];
    expect(Object.fromEntries(v1!.reasons)).toEqual({ cooperatives: 'BELOW_THRESHOLD', amount: 'BELOW_THRESHOLD' });
    expect(Object.fromEntries(v2!.reasons)).toEqual({ cooperatives: 'BELOW_THRESHOLD', amount: 'BELOW_THRESHOLD' });
    // 11.01's amount is one cooperative's: suppressed, and 11.02's with it (else 11 - 11.02 = 11.01).
    expect(Object.fromEntries(regency!.reasons)).toEqual({ amount: 'BELOW_THRESHOLD' });
    expect(byRegency.reasons).toEqual(regency!.reasons);
    expect(v1!.groupAsOf).toEqual(day(9));
    const other = await loader([]).load({ code: '11.02' });
    expect(Object.fromEntries(other.reasons)).toEqual({ amount: 'COMPLEMENTARY' });
  });

  it('nulls withheld figures for the public only, with the reason and K beside them', async () => {
    const cell = await loader([]).load({ code: '11.01' });
    expect(discloseFigures({ cooperatives: 3, amount: 500 }, cell, PUBLIC)).toEqual({
      cooperatives: 3,
      amount: null,
      suppressed: [{ field: 'amount', reason: 'BELOW_THRESHOLD', threshold: K }],
    });
    expect(discloseFigures({ cooperatives: 3, amount: 500 }, cell, ANALYST)).toEqual({ cooperatives: 3, amount: 500, suppressed: [] });
  });

  it('writes one statement for several groups, numbering parameters from where it is told', () => {
    const { sql, params } = regionGroupsSql(
      [
        { column: 'provinceCode', within: null },
        { column: 'villageCode', within: ['35.14'] },
      ],
      (column, where) => `SELECT "${column}" AS code, count(*) FROM t x WHERE ${where('x')} GROUP BY 1`,
      2,
    );
    expect(sql).toBe(
      'SELECT * FROM (SELECT "provinceCode" AS code, count(*) FROM t x WHERE true GROUP BY 1) g0\nUNION ALL\n' +
        'SELECT * FROM (SELECT "villageCode" AS code, count(*) FROM t x WHERE x."regencyCode" = ANY($2) GROUP BY 1) g1',
    );
    expect(params).toEqual([['35.14']]);
  });
});
