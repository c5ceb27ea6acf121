// The Task Force's commitments per region: targets, progress and status, grouped by indicator.
import { int, kwp, pct, rupiah } from './figures';
import { type CommitmentView, type Row, type SliceKey, SOURCES, type Status, type TaskForce, type Unit } from './shapes';

/** What each indicator counts, for commitment rows summed over provinces (a commitment's own label names its target). */
export const INDICATOR_NAMES: Record<string, string> = {
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
export const indicatorName = (indicator: string) => INDICATOR_NAMES[indicator] ?? indicator.toLowerCase().replace(/_/g, ' ');

export const STATUS_ORDER: Status[] = ['LATE', 'AT_RISK', 'ON_TRACK', 'DONE'];
export const STATUS_LABEL: Record<Status, string> = { LATE: 'late', AT_RISK: 'at risk', ON_TRACK: 'on track', DONE: 'done' };

/** An exact decimal ("1234.5") in hundredths, so sums of targets and realisations stay exact. */
export function hundredths(decimal: string): bigint {
  const [whole = '0', fraction = ''] = decimal.split('.');
  const negative = whole.startsWith('-');
  const value = BigInt(whole.replace('-', '') || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
  return negative ? -value : value;
}

export function quantity(value: bigint | null, unit: Unit): string {
  if (value === null) return '—';
  if (unit === 'RUPIAH') return rupiah(value / 100n);
  const n = Number(value) / 100;
  if (unit === 'KWP') return kwp(n);
  return int(n);
}

export interface CommitmentGroup {
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
export function groupCommitments(provinces: Row[], taskForce: TaskForce): CommitmentGroup[] {
  const groups = new Map<string, CommitmentGroup>();
  for (const province of provinces) {
    for (const c of taskForce.byProvince.get(province.code)?.commitments ?? []) {
      const key = `${c.agency.code}|${c.indicator}|${c.dueDate}`;
      let g = groups.get(key);
      if (!g) {
        g = {
          key,
          agency: c.agency,
          indicator: c.indicator,
          unit: c.unit,
          dueDate: c.dueDate,
          label: indicatorName(c.indicator),
          target: 0n,
          baseline: 0n,
          realised: 0n,
          unreadable: 0,
          withheld: 0,
          expected: c.expectedProgress,
          statuses: { LATE: 0, AT_RISK: 0, ON_TRACK: 0, DONE: 0 },
          lagging: [],
          items: [],
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
  return list.sort(
    (a, b) =>
      laggingOf(b.agency.code) - laggingOf(a.agency.code) ||
      a.agency.code.localeCompare(b.agency.code) ||
      a.indicator.localeCompare(b.indicator) ||
      a.dueDate.localeCompare(b.dueDate),
  );
}

export function Progress({ value, expected }: { value: number | null; expected: number }) {
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

export function StatusCounts({ statuses }: { statuses: Record<Status, number> }) {
  return (
    <span className="statuses">
      {STATUS_ORDER.filter((s) => statuses[s] > 0).map((s) => (
        <span key={s} className={`status ${s}`} data-status={s}>
          {statuses[s]} {STATUS_LABEL[s]}
        </span>
      ))}
    </span>
  );
}

export function Commitments({ provinces, taskForce, scope, single }: { provinces: Row[]; taskForce: TaskForce; scope: string; single: boolean }) {
  if (taskForce.status !== 'ok') {
    return (
      <section className="card commitments" aria-label="Agency commitments">
        <h2>Agency commitments</h2>
        <p className="unavailable-box" data-commitments="unavailable">
          LAN / Task Force data unavailable
          {taskForce.status === 'absent' ? ': the collaboration subgraph is not part of this graph.' : `: ${taskForce.message ?? ''}`}
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
        {groups.reduce((n, g) => n + g.items.length, 0)} commitments of {agencies.length} agencies <StatusCounts statuses={totals} />. Realised is read by LAN
        from each owning ministry's own figures{single ? '' : ', summed over the provinces in view'}; the marker shows the share of time elapsed.
      </p>
      <div className="table-scroll">
        <table className="commitments-table">
          <thead>
            <tr>
              <th scope="col">Agency · commitment</th>
              <th scope="col">Due</th>
              <th scope="col">Realised / target</th>
              <th scope="col">Progress</th>
              <th scope="col">Status</th>
              {!single && <th scope="col">Lagging in</th>}
            </tr>
          </thead>
          <tbody>
            {groups.map((g, i) => {
              const first = i === 0 || groups[i - 1]!.agency.code !== g.agency.code;
              const span = g.target - g.baseline;
              const progress = g.realised === null ? null : span > 0n ? Number(g.realised - g.baseline) / Number(span) : g.realised >= g.target ? 1 : 0;
              return (
                <tr
                  key={g.key}
                  data-agency={g.agency.code}
                  data-indicator={g.indicator}
                  data-due={g.dueDate.slice(0, 10)}
                  className={first ? 'agency-first' : undefined}
                >
                  <th scope="row">
                    {first && <strong className="agency">{g.agency.shortName}</strong>}
                    <span className="what">{g.label}</span>
                  </th>
                  <td>{g.dueDate.slice(0, 10)}</td>
                  <td data-realised={g.realised === null ? '' : String(g.realised)} data-target={String(g.target)}>
                    {g.realised === null && g.withheld === g.unreadable ? (
                      <span
                        className="suppressed"
                        data-suppressed="commitment"
                        title={`${g.withheld} province(s) whose figure ${sourceOfIndicator(g.indicator)} withholds from the public: it covers too few cooperatives (disclosure control). Analysts see it.`}
                      >
                        suppressed (too few cooperatives)
                      </span>
                    ) : g.realised === null ? (
                      <span className="na" title={`${g.unreadable} province(s) without a reading: the owning subgraph did not answer`}>
                        {sourceOfIndicator(g.indicator)} data unavailable
                      </span>
                    ) : (
                      quantity(g.realised, g.unit)
                    )}{' '}
                    <span className="muted">/ {quantity(g.target, g.unit)}</span>
                  </td>
                  <td>
                    <Progress value={progress} expected={g.expected} />
                  </td>
                  <td>
                    {single && g.items[0]?.status ? (
                      <span className={`status ${g.items[0].status}`} data-status={g.items[0].status}>
                        {STATUS_LABEL[g.items[0].status]}
                      </span>
                    ) : (
                      <StatusCounts statuses={g.statuses} />
                    )}
                  </td>
                  {!single && (
                    <td className="lagging">
                      {g.lagging.slice(0, 3).map((l) => (
                        <span key={l.code} className={`status ${l.status}`}>
                          {l.name}
                        </span>
                      ))}
                      {g.lagging.length > 3 && <span className="muted"> +{g.lagging.length - 3} more</span>}
                    </td>
                  )}
                </tr>
              );
            })}
            {groups.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  No commitment for these regions.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The owner whose data an indicator reads, from its name (REGISTRY_…, ENERGY_…). */
export function sourceOfIndicator(indicator: string): string {
  const key = indicator.split('_')[0]!.toLowerCase() as SliceKey;
  return SOURCES.find((s) => s.key === key)?.owner ?? indicator;
}
