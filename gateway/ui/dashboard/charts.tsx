// Bar charts of the indicators across the regions in view.
import { useState } from 'react';
import { Suppressed, withheldOf } from './figures';
import { formatValue, type Indicator, INDICATORS, refsOf } from './indicators';
import { type Row, SLICES, type SliceState, type SourceKey, type SuppressedFigure } from './shapes';

export function BarChart({ rows, indicator, onOpen }: { rows: Row[]; indicator: Indicator; onOpen?: (row: Row) => void }) {
  const withheld = rows.map((row) => withheldOf(row, refsOf(indicator))).filter((w): w is SuppressedFigure => Boolean(w));
  const points = rows
    .filter((row) => !withheldOf(row, refsOf(indicator)))
    .map((row) => ({ row, value: indicator.value(row) }))
    .filter((p): p is { row: Row; value: number } => typeof p.value === 'number' && Number.isFinite(p.value))
    .sort((a, b) => b.value - a.value);
  const note = withheld.length > 0 && (
    <p className="note" data-note="suppressed">
      <Suppressed figure={withheld[0]!} regions={withheld.length} />: {withheld.length === 1 ? 'its bar is' : 'their bars are'} not drawn, and not drawn as
      zero.
    </p>
  );
  if (points.length === 0) return note || <p className="note">No figures for these regions.</p>;
  const max = Math.max(...points.map((p) => p.value), indicator.format === 'pct' ? 1 : 0) || 1;
  const bar = 16;
  const gap = 5;
  const labelWidth = 150;
  const width = 520;
  const valueWidth = 90;
  return (
    <>
      <svg viewBox={`0 0 ${width} ${points.length * (bar + gap)}`} role="img" aria-label={indicator.label} className="bar-chart">
        {points.map(({ row, value }, i) => {
          const y = i * (bar + gap);
          const w = Math.max(1, ((width - labelWidth - valueWidth) * value) / max);
          return (
            <g key={row.code} className={onOpen ? 'clickable' : undefined} onClick={onOpen ? () => onOpen(row) : undefined}>
              <title>{`${row.name}: ${formatValue(value, indicator.format)}`}</title>
              <text x={labelWidth - 6} y={y + bar - 4} textAnchor="end" className="bar-label">
                {row.name.length > 22 ? `${row.name.slice(0, 21)}…` : row.name}
              </text>
              <rect x={labelWidth} y={y} width={w} height={bar} rx={2} className={`bar source-${indicator.source}`} />
              <text x={labelWidth + w + 5} y={y + bar - 4} className="bar-value">
                {formatValue(value, indicator.format)}
              </text>
            </g>
          );
        })}
      </svg>
      {note}
    </>
  );
}

export function Charts({ rows, slices, onOpen }: { rows: Row[]; slices: Record<SourceKey, SliceState>; onOpen?: (row: Row) => void }) {
  const [chosen, setChosen] = useState<Record<string, string>>({});
  return (
    <section className="charts" aria-label="Indicators by ministry">
      {SLICES.map((s) => {
        const options = INDICATORS.filter((i) => i.source === s.key);
        const indicator = options.find((i) => i.key === chosen[s.key]) ?? options[0]!;
        return (
          <div key={s.key} className="card chart" data-ministry={s.key}>
            <h3>
              {s.owner} <span className="muted">{s.label}</span>
            </h3>
            <label className="indicator">
              <span className="visually-hidden">Indicator</span>
              <select value={indicator.key} onChange={(e) => setChosen((c) => ({ ...c, [s.key]: e.target.value }))}>
                {options.map((o) => (
                  <option key={o.key} value={o.key}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            {slices[s.key]?.status === 'unavailable' ? (
              <p className="unavailable-box">
                {s.owner} data unavailable{slices[s.key]?.message ? `: ${slices[s.key]!.message}` : ''}
              </p>
            ) : (
              <BarChart rows={rows} indicator={indicator} onOpen={onOpen} />
            )}
          </div>
        );
      })}
    </section>
  );
}
