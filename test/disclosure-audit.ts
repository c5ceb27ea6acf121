/**
 * An auditor's check of published region aggregates against the cooperatives (and villages) behind
 * them, written independently of the kit's rule: what a reader of the public answers can compute
 * (each published figure, and each parent minus its published children, including a region minus its
 * published KDMP or KKMP part), and whether any of it covers too few units or equals one unit's value.
 */

/** One unit behind the figures: a cooperative (with its kind) or a village, with its own value of each figure. */
export interface Unit {
  namespace: string;
  village: string;
  part: string;
  kind: 'cooperative' | 'village';
  values: Record<string, number | bigint>;
}

/** A figure of a namespace: a count (or share) of its units, or a total of their values. */
export interface FigureSpec {
  field: string;
  is: 'count' | 'total';
  unit: 'cooperative' | 'village';
  /** Checked against the sum of the units' values (false for shares and averages). */
  additive?: boolean;
}

export interface Table {
  namespace: string;
  parts: string[];
  figures: FigureSpec[];
}

/** A region of the walk and its children (regencies of a province, villages of a regency). */
export interface RegionNode {
  code: string;
  children: RegionNode[];
}

/** Figures as a caller received them, per namespace, region and part ('' for the whole region). */
export type Cells = Map<string, Record<string, unknown>>;
export const cellKey = (namespace: string, code: string, part = '') => `${namespace}|${code}|${part}`;

export interface Finding {
  namespace: string;
  field: string;
  part: string;
  /** The regions the derived figure covers: one published cell, or the suppressed cells a subtraction reveals. */
  regions: string[];
  how: 'published' | 'difference' | 'part difference';
  problem: string;
}

type Num = number | bigint;
const toNum = (v: unknown): Num => (typeof v === 'string' ? BigInt(v) : Number(v));
const isZero = (v: Num) => (typeof v === 'bigint' ? v === 0n : Math.abs(v) < 1e-9);
const minus = (a: Num, b: Num): Num => (typeof a === 'bigint' ? a - BigInt(b) : a - Number(b));
const plus = (a: Num, b: Num): Num => (typeof a === 'bigint' ? a + BigInt(b) : Number(a) + Number(b));
const same = (a: Num, b: Num) => (typeof a === 'bigint' || typeof b === 'bigint' ? BigInt(a) === BigInt(b) : Math.abs(a - b) < 1e-6);
const within = (code: string, region: string) => code === region || code.startsWith(`${region}.`);

/** The units of a table and figure inside some regions (of one part). */
function unitsIn(units: readonly Unit[], table: Table, figure: FigureSpec, regions: readonly string[], part: string) {
  return units.filter(
    (u) => u.namespace === table.namespace && u.kind === figure.unit && (part === '' || u.part === part) && regions.some((r) => within(u.village, r)),
  );
}

/** Problems with one derived figure: too few units, too few contributors, or exactly one unit's value. */
function check(k: number, table: Table, figure: FigureSpec, units: readonly Unit[], value: Num): string | undefined {
  const population = units.length;
  if (population > 0 && population < k) return `covers ${population} ${figure.unit}(s), fewer than ${k}`;
  if (figure.is === 'count') return undefined;
  const contributors = units.filter((u) => !isZero(u.values[figure.field] ?? 0));
  if (contributors.length > 0 && contributors.length < k) return `is made of ${contributors.length} ${figure.unit}(s)' values`;
  const single = contributors.find((u) => same(u.values[figure.field]!, value));
  return single ? `equals one ${figure.unit}'s own value (${String(value)}, ${single.village})` : undefined;
}

/** Everything a reader of `cells` can derive that reveals fewer than K units. Empty means safe. */
export function audit(k: number, tables: readonly Table[], roots: readonly RegionNode[], cells: Cells, units: readonly Unit[]): Finding[] {
  const findings: Finding[] = [];
  const walk = (node: RegionNode, visit: (node: RegionNode) => void) => {
    visit(node);
    for (const child of node.children) walk(child, visit);
  };
  for (const table of tables) {
    for (const figure of table.figures) {
      const valueOf = (code: string, part: string) => cells.get(cellKey(table.namespace, code, part))?.[figure.field];
      const note = (how: Finding['how'], regions: string[], part: string, value: Num) => {
        const problem = check(k, table, figure, unitsIn(units, table, figure, regions, part), value);
        if (problem) findings.push({ namespace: table.namespace, field: figure.field, part, regions, how, problem });
      };
      for (const root of roots) {
        walk(root, (node) => {
          if (cells.get(cellKey(table.namespace, node.code)) === undefined) return; // a level this namespace does not publish
          for (const part of table.parts) {
            const parent = valueOf(node.code, part);
            if (parent === null || parent === undefined) continue;
            note('published', [node.code], part, toNum(parent));
            // Parent minus its published children reveals the suppressed ones together.
            const children = node.children.filter((c) => cells.has(cellKey(table.namespace, c.code, part)));
            const hidden = children.filter((c) => valueOf(c.code, part) === null);
            if (children.length > 0 && hidden.length > 0) {
              const rest = children.filter((c) => valueOf(c.code, part) !== null).reduce((sum, c) => minus(sum, toNum(valueOf(c.code, part))), toNum(parent));
              note(
                'difference',
                hidden.map((c) => c.code),
                part,
                rest,
              );
            }
          }
          // The whole region minus its published parts reveals the suppressed part.
          const whole = valueOf(node.code, '');
          const parts = table.parts.filter((p) => p !== '');
          const hiddenParts = parts.filter((p) => valueOf(node.code, p) === null);
          if (whole !== null && whole !== undefined && hiddenParts.length === 1) {
            const rest = parts.filter((p) => !hiddenParts.includes(p)).reduce((sum, p) => minus(sum, toNum(valueOf(node.code, p))), toNum(whole));
            note('part difference', [node.code], hiddenParts[0]!, rest);
          }
        });
      }
    }
  }
  return findings;
}

/** Differences between a region's figure and the sum of its units' own values: the units must explain every figure. */
export function unexplained(tables: readonly Table[], roots: readonly RegionNode[], cells: Cells, units: readonly Unit[]): string[] {
  const out: string[] = [];
  const walk = (node: RegionNode) => {
    for (const table of tables) {
      for (const part of table.parts) {
        const cell = cells.get(cellKey(table.namespace, node.code, part));
        if (!cell) continue;
        for (const figure of table.figures.filter((f) => f.additive !== false)) {
          const inside = unitsIn(units, table, figure, [node.code], part);
          const expected = inside.reduce<Num>((sum, u) => plus(sum, u.values[figure.field] ?? 0), typeof cell[figure.field] === 'string' ? 0n : 0);
          if (!same(toNum(cell[figure.field]), expected))
            out.push(
              `${table.namespace}.${figure.field} of ${node.code}${part ? ` (${part})` : ''}: ${String(cell[figure.field])}, units add up to ${String(expected)}`,
            );
        }
      }
    }
    node.children.forEach(walk);
  };
  roots.forEach(walk);
  return out;
}
