import { useSyncExternalStore, type CSSProperties } from 'react';

/**
 * The last query's plan as the gateway reports it (`extensions.queryPlan`, sent to signed-in callers who
 * ask with `x-query-plan: true`): the subgraphs it touched, each fetch's time and the plan itself.
 */
export type QueryPlanReport = {
  subgraphs: string[];
  plan: string;
  fetches: { subgraph: string; durationMs: number; errors: number }[];
};

type LastPlan = { report: QueryPlanReport; operationName?: string } | { none: string } | null;

let last: LastPlan = null;
const listeners = new Set<() => void>();

function isReport(value: unknown): value is QueryPlanReport {
  const r = value as Partial<QueryPlanReport> | null;
  return Array.isArray(r?.subgraphs) && typeof r.plan === 'string' && Array.isArray(r.fetches);
}

/** Called by the fetcher with each answer to a query the user ran. */
export function recordPlan(result: unknown, signedIn: boolean, operationName?: string): void {
  const report = (result as { extensions?: { queryPlan?: unknown } } | null)?.extensions?.queryPlan;
  last = isReport(report)
    ? { report, operationName }
    : {
        none: signedIn
          ? 'The gateway returned no plan for the last query (it was refused before planning, or asked only for the schema).'
          : 'Query plans are shown to signed-in analysts, officers and admins: paste a bearer token in the top bar and run the query again.',
      };
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export function QueryPlanPanel() {
  const plan = useSyncExternalStore(subscribe, () => last);
  return (
    <section aria-label="Query plan" data-testid="query-plan">
      <div className="graphiql-history-header">Query plan</div>
      {plan === null && <p style={styles.muted}>Run a query to see the subgraphs it touches, the gateway's plan and each fetch's time.</p>}
      {plan && 'none' in plan && (
        <p style={styles.muted} data-testid="query-plan-none">
          {plan.none}
        </p>
      )}
      {plan && 'report' in plan && (
        <>
          <p style={styles.muted}>
            Last query{plan.operationName ? ` (${plan.operationName})` : ''}: {plan.report.fetches.length} fetch{plan.report.fetches.length === 1 ? '' : 'es'}{' '}
            from {plan.report.subgraphs.length} subgraph{plan.report.subgraphs.length === 1 ? '' : 's'}.
          </p>
          <div style={styles.heading}>Subgraphs touched</div>
          <ul style={styles.chips} data-testid="query-plan-subgraphs">
            {plan.report.subgraphs.map((s) => (
              <li key={s} style={styles.chip}>
                {s}
              </li>
            ))}
          </ul>
          <div style={styles.heading}>Fetches, in the order they finished</div>
          <table style={styles.table} data-testid="query-plan-fetches">
            <thead>
              <tr>
                <th style={styles.th}>subgraph</th>
                <th style={styles.num}>ms</th>
                <th style={styles.num}>errors</th>
              </tr>
            </thead>
            <tbody>
              {plan.report.fetches.map((f, i) => (
                <tr key={i}>
                  <td>{f.subgraph}</td>
                  <td style={styles.num}>{f.durationMs.toFixed(1)}</td>
                  <td style={styles.num}>{f.errors}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div style={styles.heading}>Plan</div>
          <pre style={styles.pre} data-testid="query-plan-text">
            {plan.report.plan}
          </pre>
        </>
      )}
    </section>
  );
}

const styles = {
  muted: { color: 'hsla(var(--color-neutral), var(--alpha-secondary))', fontSize: 'var(--font-size-hint)' },
  heading: {
    marginTop: 'var(--px-16)',
    fontWeight: 'var(--font-weight-medium)',
    color: 'hsla(var(--color-neutral), var(--alpha-secondary))',
    fontSize: 'var(--font-size-hint)',
    textTransform: 'uppercase',
    letterSpacing: '0.04em',
  },
  chips: { display: 'flex', flexWrap: 'wrap', gap: 'var(--px-4)', listStyle: 'none', margin: 'var(--px-4) 0 0', padding: 0 },
  chip: {
    padding: '0 var(--px-6)',
    borderRadius: 'var(--border-radius-4)',
    background: 'hsla(var(--color-primary), var(--alpha-background-light))',
    color: 'hsl(var(--color-primary))',
    fontFamily: 'var(--font-family-mono)',
  },
  table: { width: '100%', marginTop: 'var(--px-4)', borderCollapse: 'collapse', fontFamily: 'var(--font-family-mono)', fontSize: 'var(--font-size-hint)' },
  th: { textAlign: 'left' },
  num: { textAlign: 'right' },
  pre: { marginTop: 'var(--px-4)', whiteSpace: 'pre', overflowX: 'auto', fontFamily: 'var(--font-family-mono)', fontSize: 'var(--font-size-hint)' },
} satisfies Record<string, CSSProperties>;
