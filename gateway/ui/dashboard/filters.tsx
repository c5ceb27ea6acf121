// The filter bar and the notes that say what the filters hide.
import { int } from './figures';
import type { PilotSite, PilotSites, TaskForce, TaskForceRegion } from './shapes';
import { CATEGORIES, type Category, type Filters, type Kind, modelLabel, type Pilot, PILOT_MODELS, pilotLabel } from './state';

export function FiltersBar({ filters, onChange, taskForce }: { filters: Filters; onChange: (f: Filters) => void; taskForce: TaskForce | null }) {
  const regions = taskForce?.regions ?? [];
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>Task Force region</span>
        <select
          name="region"
          value={filters.region ?? ''}
          disabled={regions.length === 0}
          onChange={(e) => onChange({ ...filters, region: e.target.value || undefined, province: undefined, regency: undefined })}
        >
          <option value="">{regions.length || !taskForce ? 'All regions' : 'All (Task Force data unavailable)'}</option>
          {regions.map((r) => (
            <option key={r.code} value={r.code}>
              {r.code} · {r.coverage}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Village category</span>
        <select
          name="category"
          value={filters.category ?? ''}
          onChange={(e) => onChange({ ...filters, category: (e.target.value || undefined) as Category | undefined, regency: undefined })}
        >
          <option value="">All categories</option>
          {CATEGORIES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.value.replace('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Cooperative kind</span>
        <select name="kind" value={filters.kind ?? ''} onChange={(e) => onChange({ ...filters, kind: (e.target.value || undefined) as Kind | undefined })}>
          <option value="">KDMP and KKMP</option>
          <option value="KDMP">KDMP (desa)</option>
          <option value="KKMP">KKMP (kelurahan)</option>
        </select>
      </label>
      <label>
        <span>Pilot sites</span>
        <select
          name="pilot"
          value={filters.pilot ?? ''}
          onChange={(e) => onChange({ ...filters, pilot: (e.target.value || undefined) as Pilot | undefined, regency: undefined })}
        >
          <option value="">All, pilot or not</option>
          <option value="ANY">Pilot sites only</option>
          {PILOT_MODELS.map((m) => (
            <option key={m} value={m}>
              Pilot sites: {modelLabel(m)}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}

/** What the filters do, said plainly: which figures they narrow and which they cannot. */
export function FilterNotes({
  filters,
  shown,
  total,
  region,
  pilots,
  pilotsInView,
}: {
  filters: Filters;
  shown: number;
  total: number;
  region?: TaskForceRegion;
  pilots: PilotSites | null;
  pilotsInView: PilotSite[] | undefined;
}) {
  if (!filters.region && !filters.category && !filters.kind && !filters.pilot) return null;
  return (
    <p className="card filter-notes" role="status">
      {region && (
        <>
          Task Force region <strong>{region.code}</strong> ({region.coverage}
          {region.lead ? `; lead: ${region.lead}` : ''}).{' '}
        </>
      )}
      {filters.category && (
        <>
          Regions with at least one <strong>{filters.category}</strong> village (Kemendes PDT); their count and share are in the table. Province and national
          figures (funnel, charts, commitments) cover every cooperative of those regions. In a regency, a funnel of only its {filters.category} villages'
          cooperatives would add up each village's figures, which are suppressed for the public (a village holds one cooperative), so it covers the whole
          regency too.{' '}
        </>
      )}
      {filters.kind && (
        <>
          Registry figures for <strong>{filters.kind}</strong> only; other ministries' figures cover both kinds.{' '}
        </>
      )}
      {filters.pilot && pilotsInView && (
        <>
          <strong data-pilot-sites={pilotsInView.length}>
            {int(pilotsInView.length)} {pilotLabel(filters.pilot)}
          </strong>{' '}
          in view (LAN / Task Force): only regions with at least one are kept, with their count and models in the table. Ministries publish figures per region,
          not per pilot village, so the funnel, charts and commitments cover every cooperative of those regions, not only the pilot cooperatives.{' '}
        </>
      )}
      {filters.pilot && pilots?.status === 'unavailable' && (
        <>LAN / Task Force pilot sites unavailable ({pilots.message}): the regions are not narrowed to pilot sites. </>
      )}
      {filters.province ? (
        ''
      ) : (
        <>
          Showing {shown} of {total} provinces.
        </>
      )}
    </p>
  );
}
