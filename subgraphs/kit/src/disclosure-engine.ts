import { type Coverage, passes, SuppressionReason } from './disclosure';

/**
 * A published cell that is the sum of others: a parent region of its children, or a region of its
 * KDMP and KKMP parts. If the parent is suppressed, so are all its children (it cannot be rebuilt
 * from them); if it is known, the suppressed children must not be derivable by subtraction.
 */
export interface Equation {
  parent: string;
  children: readonly string[];
}

/** A cell's coverage for each cover of its unit (a unit's figures share one decision). */
export type CellCoverage = readonly Coverage[];

const NOBODY: Coverage = { population: 0, contributors: 0 };

function add(a: readonly Coverage[], b: readonly Coverage[]): Coverage[] {
  const width = Math.max(a.length, b.length);
  return Array.from({ length: width }, (_, i) => ({
    population: (a[i]?.population ?? 0) + (b[i]?.population ?? 0),
    contributors: (a[i]?.contributors ?? 0) + (b[i]?.contributors ?? 0),
  }));
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The sibling to suppress next so that the hidden set `sum` stops being derivable: if a total is made
 * of too few contributors, the one with the fewest (but some) contributors; otherwise the smallest one
 * that adds units but no contributors, else the smallest one with units. Ties by id.
 */
function nextCandidate(candidates: readonly string[], coverage: (id: string) => CellCoverage, sum: readonly Coverage[], k: number): string | undefined {
  // The cover that fails (if all pass, the set is a lone cell: any sibling with units will do).
  const f = Math.max(
    sum.findIndex((c) => !(c.population === 0 || passes(c, k))),
    0,
  );
  const needContributors = (sum[f]?.contributors ?? 0) > 0;
  const of = (id: string) => coverage(id)[f] ?? NOBODY;
  const withUnits = candidates.filter((id) => coverage(id).some((c) => c.population > 0));
  const preferred = needContributors ? withUnits.filter((id) => of(id).contributors > 0) : withUnits.filter((id) => of(id).contributors === 0);
  const pool = preferred.length > 0 ? preferred : withUnits;
  return [...pool].sort((a, b) => of(a).contributors - of(b).contributors || of(a).population - of(b).population || byId(a, b))[0];
}

/**
 * Decides one unit over a set of cells and the equations between them: primary suppression, then
 * closure and complementary suppression until no suppressed cell with units can be derived by a chain
 * of subtractions, and every hidden group under a known parent passes the rule. `frozen` cells keep
 * the decision given (an upper level already decided). Deterministic: same input, same answer.
 */
export function decideUnit(
  cells: ReadonlyMap<string, CellCoverage>,
  equations: readonly Equation[],
  k: number,
  frozen: ReadonlyMap<string, SuppressionReason | null> = new Map(),
): Map<string, SuppressionReason> {
  const coverage = (id: string): CellCoverage => cells.get(id) ?? [];
  const hasUnits = (id: string) => coverage(id).some((c) => c.population > 0);
  const decided = new Map<string, SuppressionReason>();
  for (const [id, reason] of frozen) if (reason) decided.set(id, reason);
  for (const [id, covers] of cells) {
    if (!frozen.has(id) && !covers.every((c) => passes(c, k))) decided.set(id, SuppressionReason.BELOW_THRESHOLD);
  }
  const suppress = (id: string) => {
    if (decided.has(id) || frozen.has(id)) return false;
    decided.set(id, SuppressionReason.COMPLEMENTARY);
    return true;
  };

  /** Closure: every child of a suppressed parent is suppressed. */
  const close = () => {
    let changed = false;
    for (const { parent, children } of equations) if (decided.has(parent)) for (const c of children) changed = suppress(c) || changed;
    return changed;
  };

  /** Cells whose value a reader can work out (published, empty, or derived), with the equation that derives each. */
  const derivable = (among: readonly Equation[] = equations) => {
    const known = new Set([...cells.keys(), ...among.flatMap((e) => [e.parent, ...e.children])].filter((id) => !decided.has(id) || !hasUnits(id)));
    const cause = new Map<string, number>();
    for (let changed = true; changed;) {
      changed = false;
      among.forEach(({ parent, children }, e) => {
        const hidden = children.filter((c) => !known.has(c));
        if (known.has(parent) && hidden.length === 1) {
          known.add(hidden[0]!);
          cause.set(hidden[0]!, e);
          changed = true;
        } else if (!known.has(parent) && hidden.length === 0) {
          known.add(parent);
          cause.set(parent, e);
          changed = true;
        }
      });
    }
    return { known, cause };
  };
  // Suppressed frozen cells that the upper level left hidden must stay hidden whatever is published below.
  const upperOnly = equations.filter((e) => frozen.has(e.parent) && e.children.every((c) => frozen.has(c)));
  const { known: knownAbove } = derivable(upperOnly);
  const guarded = [...frozen].filter(([id, reason]) => reason && hasUnits(id) && !knownAbove.has(id)).map(([id]) => id);

  /** A cell to suppress so that `id` is no longer derived, following the chain of derivations upwards. */
  const repair = (id: string, cause: ReadonlyMap<string, number>, seen = new Set<string>()): string | undefined => {
    const e = cause.get(id);
    if (e === undefined || seen.has(id)) return undefined;
    seen.add(id);
    const { parent, children } = equations[e]!;
    if (parent === id) {
      // Rebuilt from its children, each derived elsewhere: hide one of them again.
      for (const child of children.filter(hasUnits)) {
        const fix = repair(child, cause, seen);
        if (fix) return fix;
      }
      return undefined;
    }
    // Derived as its parent minus its siblings: suppress another sibling, else hide again a sibling
    // that is itself derived, else (last) the parent.
    const hiddenSum = children.filter((c) => decided.has(c)).reduce<Coverage[]>((s, c) => add(s, coverage(c)), []);
    const next = nextCandidate(
      children.filter((c) => !decided.has(c) && !frozen.has(c)),
      coverage,
      hiddenSum,
      k,
    );
    if (next) return next;
    for (const sibling of children) {
      if (sibling === id || !decided.has(sibling) || !hasUnits(sibling)) continue;
      const fix = repair(sibling, cause, seen);
      if (fix) return fix;
    }
    if (!decided.has(parent)) return frozen.has(parent) ? undefined : parent;
    return repair(parent, cause, seen);
  };

  /** The next cell to suppress, or undefined when the pattern is safe (or cannot be made safer). */
  const nextFix = (): string | undefined => {
    const { known, cause } = derivable();
    // A hidden group under a known parent must pass the rule together.
    for (const { parent, children } of equations) {
      if (!known.has(parent)) continue;
      const hidden = children.filter((c) => !known.has(c));
      const sum = hidden.reduce<Coverage[]>((s, c) => add(s, coverage(c)), []);
      if (sum.every((c) => c.population === 0 || passes(c, k))) continue;
      const next = nextCandidate(
        children.filter((c) => !decided.has(c) && !frozen.has(c)),
        coverage,
        sum,
        k,
      );
      if (next) return next;
      if (!decided.has(parent) && !frozen.has(parent)) return parent;
      const fix = decided.has(parent) ? repair(parent, cause) : undefined;
      if (fix) return fix;
    }
    // No cell below the threshold may be derived, nor a suppressed cell of the level above.
    const sensitive = [...[...decided].filter(([id, reason]) => reason === SuppressionReason.BELOW_THRESHOLD && !frozen.has(id)).map(([id]) => id), ...guarded];
    for (const id of sensitive) {
      if (!known.has(id) || !hasUnits(id)) continue;
      const fix = repair(id, cause);
      if (fix) return fix;
    }
    return undefined;
  };

  for (;;) {
    if (close()) continue;
    const fix = nextFix();
    if (fix === undefined || !suppress(fix)) break;
  }
  for (const id of frozen.keys()) decided.delete(id);
  return decided;
}
