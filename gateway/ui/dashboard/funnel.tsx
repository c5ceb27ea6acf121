// The funnel: formed → legal entity → loan-ready → financed → operating, for the scope and filters in view.
import { int, pct, type Sum, sumOf, suppressedText, suppressedTitle, valueOf } from './figures';
import { type Row, type SliceState, type SourceKey, sourceOf, type SuppressedFigure, type VillageFigures } from './shapes';
import type { Category, Filters } from './state';

export interface Stage {
  key: string;
  label: string;
  detail: string;
  source: 'registry' | 'financing';
  field: string;
}
export const STAGES: Stage[] = [
  { key: 'formed', label: 'Formed', detail: 'registered cooperatives', source: 'registry', field: 'cooperatives' },
  { key: 'legal', label: 'Legal entity', detail: 'AHU decree', source: 'registry', field: 'legalEntities' },
  { key: 'eligible', label: 'Loan-eligible', detail: 'every registry precondition', source: 'registry', field: 'loanReady' },
  { key: 'financed', label: 'Financed', detail: 'money disbursed', source: 'financing', field: 'cooperativesFinanced' },
  { key: 'operating', label: 'Operating', detail: 'in business', source: 'registry', field: 'operating' },
];

/** The villages of one category in a drilled-into regency, whose figures replace the regency's in the funnel. */
export interface CategorySplit {
  category: Category;
  villages: VillageFigures[];
  of: number;
}

export function Funnel({
  rows,
  slices,
  scope,
  filters,
  split,
  splitFailed,
  splitSuppressed,
  splitPending,
}: {
  rows: Row[];
  slices: Record<SourceKey, SliceState>;
  scope: string;
  filters: Filters;
  split?: CategorySplit;
  splitFailed?: string;
  /** Set when the category's villages' figures are withheld from the public, so no split can be shown. */
  splitSuppressed?: SuppressedFigure;
  splitPending?: boolean;
}) {
  if (splitPending) {
    return (
      <section className="card funnel" aria-label="Funnel">
        <h2>
          Funnel · {scope}, {filters.category} villages
        </h2>
        <p className="loading" role="status">
          Loading the figures of each {filters.category} village…
        </p>
      </section>
    );
  }
  const sums: Sum<number>[] = split
    ? STAGES.map((s) => sumOf(split.villages, (v) => v[s.source], s.field, 0))
    : STAGES.map((s) => (slices[s.source]?.status === 'ok' ? sumOf(rows, (r) => r[s.source], s.field, 0) : { status: 'unavailable' }));
  const values = sums.map(valueOf);
  const withheldStage = sums.find((sum): sum is Extract<Sum<number>, { status: 'suppressed' }> => sum.status === 'suppressed');
  const top = Math.max(1, ...values.map((v) => v ?? 0));
  const formed = values[0];
  const rowHeight = 46;
  const labelWidth = 170;
  const width = 640;
  return (
    <section className="card funnel" aria-label="Funnel" data-category-split={split ? split.category : undefined}>
      <h2>
        Funnel · {scope}
        {split ? `, ${split.category} villages` : ''}
      </h2>
      {split && (
        <p className="split" data-villages={split.villages.length} data-cooperatives={values[0] ?? ''}>
          <strong>{int(split.villages.length)}</strong> of {int(split.of)} villages are {split.category} (Kemendes PDT), with <strong>{int(values[0])}</strong>{' '}
          {values[0] === 1 ? 'cooperative' : 'cooperatives'}.
        </p>
      )}
      <svg viewBox={`0 0 ${width} ${STAGES.length * rowHeight}`} role="img" aria-label={`Funnel for ${scope}`} className="funnel-chart">
        {STAGES.map((stage, i) => {
          const value = values[i];
          const sum = sums[i]!;
          const y = i * rowHeight;
          const barWidth = value === null || value === undefined ? 0 : Math.max(2, ((width - labelWidth - 150) * value) / top);
          return (
            <g key={stage.key} data-stage={stage.key} data-value={value ?? ''} data-suppressed={sum.status === 'suppressed' ? sum.figure.reason : undefined}>
              <text x={0} y={y + 20} className="stage-label">
                {stage.label}
              </text>
              <text x={0} y={y + 37} className="stage-detail">
                {filters.kind && stage.source === 'registry'
                  ? `${filters.kind} · ${stage.detail}`
                  : filters.kind
                    ? `both kinds · ${stage.detail}`
                    : stage.detail}
              </text>
              {sum.status === 'suppressed' ? (
                <text x={labelWidth} y={y + 26} className="stage-suppressed">
                  <title>{suppressedTitle(sum.figure)}</title>
                  {suppressedText(sum.figure, sum.regions)}
                </text>
              ) : value === null || value === undefined ? (
                <text x={labelWidth} y={y + 26} className="stage-missing">
                  {sourceOf(stage.source).owner} data unavailable
                </text>
              ) : (
                <>
                  <rect x={labelWidth} y={y + 8} width={barWidth} height={26} rx={3} className={`bar stage-${stage.key}`} />
                  <text x={labelWidth + barWidth + 8} y={y + 26} className="stage-value">
                    {int(value)}
                    {formed && i > 0 ? ` · ${pct(value / formed)}` : ''}
                  </text>
                </>
              )}
            </g>
          );
        })}
      </svg>
      <p className="note">
        Stages from Kemenkop's registry, except <em>financed</em> (Kemenkeu / Himbara / LPDB: a loan with money disbursed).
        {withheldStage && (
          <>
            {' '}
            <span data-note="suppressed">
              A stage marked <em>suppressed</em> has a region whose figure is withheld from the public (it covers fewer than {withheldStage.figure.threshold}{' '}
              cooperatives, or would reveal one that does); it is not added up as zero.
            </span>
          </>
        )}
        {filters.kind && (
          <>
            {' '}
            <strong>{filters.kind} only</strong> for the registry stages (<code>registry(kind: {filters.kind})</code>); <em>financed</em> counts both kinds, as
            financing publishes no figure per kind.
          </>
        )}
        {filters.category && split && (
          <>
            {' '}
            <strong>{filters.category}:</strong> every stage, <em>financed</em> included, counts only the cooperatives of the regency's {filters.category}{' '}
            villages, summed from each ministry's figures per village (
            <code>
              regency {'{'} villages {'{'} registry financing {'}'} {'}'}
            </code>
            ). The split by category is exact at regency level; province and national figures cover all villages of the regions shown.
          </>
        )}
        {filters.category && !split && splitSuppressed && (
          <>
            {' '}
            <strong>{filters.category}:</strong>{' '}
            <span className="warn" role="status" data-split="suppressed">
              the split by village category is not public
            </span>
            : it would add up each {filters.category} village's own figures, and a village's figures cover fewer than {splitSuppressed.threshold} cooperatives,
            so they are suppressed for the public (disclosure control; analysts see them). The funnel counts all cooperatives of the regency.
          </>
        )}
        {filters.category && !split && !splitSuppressed && splitFailed !== undefined && (
          <>
            {' '}
            <strong>{filters.category}:</strong>{' '}
            <span className="warn" role="alert">
              the split by village category is unavailable ({splitFailed})
            </span>
            , so the funnel counts all cooperatives of the regency.
          </>
        )}
        {filters.category && !split && !splitSuppressed && splitFailed === undefined && (
          <>
            {' '}
            <strong>{filters.category}:</strong> the funnel counts all cooperatives of the regions in view: province and national figures cover all villages of
            the regions shown. Drill into a regency for the exact funnel of its {filters.category} villages.
          </>
        )}
        {filters.pilot && (
          <>
            {' '}
            <strong>Pilot sites:</strong> the funnel counts all cooperatives of the regions in view, not only the pilot cooperatives. Ministries publish no
            aggregate per pilot site, and a pilot cooperative's own record (
            <code>
              pilotSites {'{'} cooperative {'{'} stage {'}'} {'}'}
            </code>
            ) needs a signed-in analyst.
          </>
        )}
      </p>
    </section>
  );
}
