// The region table: one row per province or regency, columns chosen by the filters.
import { useMemo, useState, type ReactNode } from 'react';
import { type FieldRef, int, kwp, pct, plus, rupiah, share, Suppressed, withheldOf } from './figures';
import { formatValue, numberOf } from './indicators';
import { type PilotSite, type Row, type SliceState, type SourceKey, sourceOf, type TaskForce } from './shapes';
import { capitalised, CATEGORIES, categoryCount, type Filters, modelSummary, pilotLabel, sitesIn } from './state';

export interface Column {
  key: string;
  label: string;
  source: SourceKey;
  /** The ministry figures it shows: a suppressed one is shown as such. */
  refs?: FieldRef[];
  numeric: number | ((row: Row) => number | null | undefined);
  show: (row: Row) => ReactNode;
}

export function columnsFor(filters: Filters, taskForce: TaskForce | null, pilotSites: PilotSite[] | undefined): Column[] {
  const ofRegistry = (r: Row) => r.registry;
  // With a kind filter the registry slice itself is that kind's (registry(kind:)).
  const formedOf = (r: Row) => r.registry?.cooperatives;
  const withShare = (part: number | null | undefined, whole: number | null | undefined) => (
    <>
      {int(part)}
      <span className="sub">{pct(share(part, whole))}</span>
    </>
  );
  const columns: Column[] = [
    { key: 'villages', label: 'Villages', source: 'regions', numeric: (r) => r.regionCounts?.villages, show: (r) => int(r.regionCounts?.villages) },
  ];
  if (filters.category) {
    const c = filters.category;
    const field = CATEGORIES.find((x) => x.value === c)!.field;
    columns.push({
      key: 'category',
      label: `${c} villages`,
      source: 'development',
      refs: [['development', field]],
      numeric: (r) => categoryCount(r, c),
      show: (r) => withShare(categoryCount(r, c), r.regionCounts?.villages),
    });
  }
  if (filters.pilot && pilotSites) {
    // Pilot sites are LAN's, like the commitments: 'regions' only says the column never goes unavailable with a ministry.
    const of = (r: Row) => sitesIn(pilotSites, r);
    columns.push({
      key: 'pilotSites',
      label: capitalised(pilotLabel(filters.pilot)),
      source: 'regions',
      numeric: (r) => of(r).length,
      show: (r) => (
        <>
          {int(of(r).length)}
          {filters.pilot === 'ANY' && <span className="sub">{modelSummary(of(r))}</span>}
        </>
      ),
    });
  }
  columns.push(
    {
      key: 'formed',
      label: filters.kind ? `Formed (${filters.kind})` : 'Formed',
      source: 'registry',
      refs: [['registry', 'cooperatives']],
      numeric: formedOf,
      show: (r) => int(formedOf(r)),
    },
    {
      key: 'legal',
      label: 'Legal entity',
      source: 'registry',
      refs: [['registry', 'legalEntities']],
      numeric: (r) => ofRegistry(r)?.legalEntities,
      show: (r) => withShare(r.registry?.legalEntities, r.registry?.cooperatives),
    },
    {
      key: 'eligible',
      label: 'Loan-eligible',
      source: 'registry',
      refs: [['registry', 'loanReady']],
      numeric: (r) => ofRegistry(r)?.loanReady,
      show: (r) => withShare(r.registry?.loanReady, r.registry?.cooperatives),
    },
    {
      key: 'financed',
      label: 'Financed',
      source: 'financing',
      refs: [['financing', 'cooperativesFinanced']],
      numeric: (r) => r.financing?.cooperativesFinanced,
      show: (r) => withShare(r.financing?.cooperativesFinanced, r.registry?.cooperatives),
    },
    {
      key: 'operating',
      label: 'Operating',
      source: 'registry',
      refs: [['registry', 'operating']],
      numeric: (r) => ofRegistry(r)?.operating,
      show: (r) => withShare(r.registry?.operating, r.registry?.cooperatives),
    },
    {
      key: 'disbursed',
      label: 'Disbursed',
      source: 'financing',
      refs: [['financing', 'amountDisbursed']],
      numeric: (r) => numberOf(r.financing?.amountDisbursed),
      show: (r) => (r.financing?.amountDisbursed ? rupiah(BigInt(r.financing.amountDisbursed)) : '—'),
    },
    {
      key: 'kwp',
      label: 'Solar in service',
      source: 'energy',
      refs: [['energy', 'kwpCommissioned']],
      numeric: (r) => r.energy?.kwpCommissioned,
      show: (r) => kwp(r.energy?.kwpCommissioned),
    },
    {
      key: 'g4',
      label: '4G or better',
      source: 'digital',
      refs: [['digital', 'share4gOrBetter']],
      numeric: (r) => r.digital?.share4gOrBetter,
      show: (r) => pct(r.digital?.share4gOrBetter),
    },
    {
      key: 'perCoop',
      label: 'Employees / coop.',
      source: 'labour',
      refs: [['labour', 'averagePerCooperative']],
      numeric: (r) => r.labour?.averagePerCooperative,
      show: (r) => formatValue(r.labour?.averagePerCooperative, 'dec'),
    },
    {
      key: 'laggingVillages',
      label: 'Tertinggal + S.T.',
      source: 'development',
      refs: [
        ['development', 'tertinggal'],
        ['development', 'sangatTertinggal'],
      ],
      numeric: (r) => plus(r.development?.tertinggal, r.development?.sangatTertinggal),
      show: (r) => int(plus(r.development?.tertinggal, r.development?.sangatTertinggal)),
    },
  );
  if (taskForce?.status === 'ok') {
    const commitments = (r: Row) => taskForce.byProvince.get(r.code)?.commitments;
    const behind = (r: Row) => commitments(r)?.filter((c) => c.status === 'LATE' || c.status === 'AT_RISK').length;
    columns.push({
      key: 'behind',
      label: 'Commitments late / at risk',
      source: 'regions',
      numeric: behind,
      show: (r) =>
        commitments(r) ? (
          <>
            {int(behind(r))}
            <span className="sub">of {int(commitments(r)!.length)}</span>
          </>
        ) : (
          '—'
        ),
    });
  }
  return columns;
}

export function RegionTable({
  rows,
  slices,
  filters,
  level,
  onOpen,
  selected,
  taskForce,
  pilotSites,
}: {
  rows: Row[];
  slices: Record<SourceKey, SliceState>;
  filters: Filters;
  level: 'province' | 'regency';
  onOpen: (row: Row) => void;
  selected?: string;
  taskForce: TaskForce | null;
  pilotSites: PilotSite[] | undefined;
}) {
  // Commitments are per province: the column shows at province level only.
  const columns = useMemo(() => columnsFor(filters, level === 'province' ? taskForce : null, pilotSites), [filters, level, taskForce, pilotSites]);
  const [sort, setSort] = useState<{ key: string; desc: boolean }>({ key: 'code', desc: false });
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort.key);
    const valueOf = (row: Row) => (column && typeof column.numeric === 'function' ? (column.numeric(row) ?? -Infinity) : 0);
    const list = [...rows].sort((a, b) => (column ? valueOf(a) - valueOf(b) : a.code.localeCompare(b.code)));
    return sort.desc ? list.reverse() : list;
  }, [rows, columns, sort]);
  const header = (key: string, label: ReactNode, missing?: string) => (
    <th key={key} scope="col" aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'} title={missing}>
      <button type="button" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'code' }))}>
        {label}
      </button>
    </th>
  );
  return (
    <section className="card table-card" aria-label={level === 'province' ? 'Provinces' : 'Regencies'}>
      <h2>
        {level === 'province' ? 'Provinces' : 'Regencies and cities'} <span className="muted">({rows.length})</span>
      </h2>
      <div className="table-scroll">
        <table className="regions" data-level={level}>
          <thead>
            <tr>
              {header('code', level === 'province' ? 'Province' : 'Regency / city')}
              {columns.map((c) => {
                const down = slices[c.source]?.status === 'unavailable';
                return header(
                  c.key,
                  <>
                    {c.label}
                    {down && <span className="sub unavailable">{sourceOf(c.source).owner} data unavailable</span>}
                  </>,
                  down ? slices[c.source]?.message : undefined,
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.map((row) => (
              <tr key={row.code} data-code={row.code} className={row.code === selected ? 'selected' : undefined}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => onOpen(row)} title={level === 'province' ? 'Show its regencies' : 'Show this regency'}>
                    {row.name}
                  </button>
                  <span className="sub">{row.code}</span>
                </th>
                {columns.map((c) => {
                  const down = slices[c.source]?.status === 'unavailable';
                  const withheld = down || !c.refs ? undefined : withheldOf(row, c.refs);
                  const value = down || withheld || typeof c.numeric !== 'function' ? undefined : c.numeric(row);
                  return (
                    <td key={c.key} data-column={c.key} data-value={value ?? ''} data-suppressed={withheld?.reason}>
                      {down ? <span className="na">n/a</span> : withheld ? <Suppressed figure={withheld} /> : c.show(row)}
                    </td>
                  );
                })}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={columns.length + 1} className="empty">
                  No region matches these filters.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
