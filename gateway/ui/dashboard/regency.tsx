// A region's own figures: the opened regency, the headline summary and its pilot sites.
import { type ReactNode } from 'react';
import { int, kwp, rupiah, sumOf, SumView, Suppressed, total, withheldOf } from './figures';
import { formatValue, INDICATORS, refsOf } from './indicators';
import { type PilotSite, type Row, type SliceKey, type SliceState, type SourceKey, sourceOf } from './shapes';
import { capitalised, modelLabel, modelSummary, type Pilot, pilotLabel } from './state';

/** The pilot sites in scope: how many, of which models; with `villages`, each one's village and region categories. */
export function PilotFigure({ sites, pilot, villages }: { sites: PilotSite[]; pilot: Pilot; villages?: boolean }) {
  return (
    <div className={villages ? 'pilot-figure wide' : 'pilot-figure'}>
      <dt>{capitalised(pilotLabel(pilot))}</dt>
      <dd data-field="pilotSites" data-value={sites.length}>
        {int(sites.length)}
        <span className="sub">{modelSummary(sites)}</span>
        {villages && sites.length > 0 && (
          <ul className="pilot-villages">
            {sites.map((s) => (
              <li key={s.id} data-village={s.village.code}>
                {s.village.name}{' '}
                <span className="muted">
                  {s.village.code} · {modelLabel(s.model)}
                  {s.categories.map((c) => ` · ${c.replace(/_/g, ' ')}`).join('')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </dd>
    </div>
  );
}

export function RegencyDetail({
  row,
  slices,
  pilot,
  pilotSites,
}: {
  row: Row;
  slices: Record<SourceKey, SliceState>;
  pilot?: Pilot;
  pilotSites?: PilotSite[];
}) {
  return (
    <section className="card detail" aria-label={`${row.name} in detail`} data-regency={row.code}>
      <h2>
        {row.name} <span className="muted">{row.code}</span>
      </h2>
      <dl>
        <div>
          <dt>Villages</dt>
          <dd data-field="villages">
            {int(row.regionCounts?.villages)}{' '}
            <span className="sub">
              {int(row.regionCounts?.desa)} desa · {int(row.regionCounts?.kelurahan)} kelurahan
            </span>
          </dd>
        </div>
        {pilot && pilotSites && <PilotFigure sites={pilotSites} pilot={pilot} villages />}
        {INDICATORS.map((i) => (
          <div key={i.key}>
            <dt>{i.label}</dt>
            <dd data-field={i.key}>
              {slices[i.source]?.status === 'unavailable' ? (
                <span className="na">{sourceOf(i.source).owner} data unavailable</span>
              ) : withheldOf(row, refsOf(i)) ? (
                <Suppressed figure={withheldOf(row, refsOf(i))!} />
              ) : (
                formatValue(i.value(row), i.format)
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Headline figures of the scope beside the funnel: villages, categories, money, jobs. */
export function RegionSummary({
  rows,
  slices,
  scope,
  pilot,
  pilotSites,
}: {
  rows: Row[];
  slices: Record<SourceKey, SliceState>;
  scope: string;
  pilot?: Pilot;
  pilotSites?: PilotSite[];
}) {
  const ok = (key: SliceKey) => slices[key]?.status === 'ok';
  const figure = (label: string, key: SourceKey, value: ReactNode, field: string) => (
    <div key={field}>
      <dt>{label}</dt>
      <dd data-field={field}>{key !== 'regions' && !ok(key) ? <span className="na">{sourceOf(key).owner} data unavailable</span> : value}</dd>
    </div>
  );
  const summed = (key: SliceKey, field: string, show: (value: number) => ReactNode) => (
    <SumView sum={sumOf(rows, (r) => r[key], field, 0)} owner={sourceOf(key).owner} show={show} />
  );
  const summedRupiah = (key: SliceKey, field: string) => <SumView sum={sumOf(rows, (r) => r[key], field, 0n)} owner={sourceOf(key).owner} show={rupiah} />;
  return (
    <section className="card detail summary" aria-label={`${scope} in figures`}>
      <h2>{scope} in figures</h2>
      <dl>
        {figure(
          'Villages',
          'regions',
          <>
            {int(total(rows, (r) => r.regionCounts?.villages))}
            <span className="sub">
              {int(total(rows, (r) => r.regionCounts?.desa))} desa · {int(total(rows, (r) => r.regionCounts?.kelurahan))} kelurahan
            </span>
          </>,
          'villages',
        )}
        {pilot && pilotSites && <PilotFigure sites={pilotSites} pilot={pilot} />}
        {figure(
          'TERTINGGAL / SANGAT TERTINGGAL villages',
          'development',
          <>
            {summed('development', 'tertinggal', int)} / {summed('development', 'sangatTertinggal', int)}
          </>,
          'tertinggal',
        )}
        {figure('Members', 'registry', summed('registry', 'members', int), 'members')}
        {figure('Amount disbursed', 'financing', summedRupiah('financing', 'amountDisbursed'), 'disbursed')}
        {figure('Cooperatives in arrears', 'financing', summed('financing', 'cooperativesInArrears', int), 'arrears')}
        {figure('Solar in service', 'energy', summed('energy', 'kwpCommissioned', kwp), 'kwp')}
        {figure('Blank-spot villages', 'digital', summed('digital', 'blankSpotVillages', int), 'blankSpots')}
        {figure('Employees', 'labour', summed('labour', 'employees', int), 'employees')}
        {figure('Dana Desa total', 'development', summedRupiah('development', 'danaDesaTotal'), 'danaDesa')}
      </dl>
    </section>
  );
}
