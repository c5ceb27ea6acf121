// The dashboard page: loads the levels, keeps the URL state, and lays out the views.
import { useEffect, useState } from 'react';
import { Charts } from './charts';
import { Commitments } from './commitments';
import { loadFirst, loadPilotSites, loadRegencies, loadRegencyVillages, reloadRegistry } from './data';
import { withheldIn } from './figures';
import { FilterNotes, FiltersBar } from './filters';
import { Freshness, STALE_DAYS } from './freshness';
import { type CategorySplit, Funnel, STAGES } from './funnel';
import { RegencyDetail, RegionSummary } from './regency';
import type { Level, PilotSites, RegencyVillages, Row, TaskForce } from './shapes';
import { categoryCount, type Filters, type Kind, pilotLabel, readFilters, sitesIn, writeFilters } from './state';
import { RegionTable } from './table';

export function App() {
  const [filters, setFilters] = useState<Filters>(readFilters);
  const [national, setNational] = useState<(Level & { kind?: Kind }) | null>(null);
  const [taskForce, setTaskForce] = useState<TaskForce | null>(null);
  const [provinceLevel, setProvinceLevel] = useState<(Level & { code: string; kind?: Kind; name?: string }) | null>(null);
  const [pilots, setPilots] = useState<PilotSites | null>(null);
  const [regencyVillages, setRegencyVillages] = useState<RegencyVillages | null>(null);

  const change = (next: Filters) => {
    setFilters(next);
    writeFilters(next);
  };

  useEffect(() => {
    void loadFirst(filters.kind).then((first) => {
      setNational(first.national);
      setTaskForce(first.taskForce);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Another kind: only the registry is fetched again.
  useEffect(() => {
    if (!national || national.kind === filters.kind) return;
    document.body.dataset.dashboard = 'loading';
    let current = true;
    void reloadRegistry(national, filters.kind).then((level) => current && setNational(level));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filters.kind, national?.kind]);

  useEffect(() => {
    if (!filters.province) return setProvinceLevel(null);
    if (provinceLevel?.code === filters.province && provinceLevel.kind === filters.kind) return;
    document.body.dataset.dashboard = 'loading';
    let current = true;
    const code = filters.province;
    const kind = filters.kind;
    void loadRegencies(code, kind).then((level) => current && setProvinceLevel({ ...level, code, kind }));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filters.province, filters.kind]);

  // Pilot sites: fetched once, the first time the filter is set; the one list serves every level.
  useEffect(() => {
    if (!filters.pilot || pilots) return;
    document.body.dataset.dashboard = 'loading';
    setPilots({ status: 'loading', sites: [] });
    void loadPilotSites().then(setPilots);
  }, [filters.pilot, pilots]);

  // A category in a drilled-into regency: that regency's villages, once per regency and kind (any category then splits them).
  const splitRegency = filters.category && filters.province && filters.regency ? filters.regency : undefined;
  useEffect(() => {
    if (!splitRegency) return;
    if (regencyVillages?.regency === splitRegency && regencyVillages.kind === filters.kind) return;
    document.body.dataset.dashboard = 'loading';
    let current = true;
    const kind = filters.kind;
    setRegencyVillages({ regency: splitRegency, kind, status: 'loading', villages: [] });
    void loadRegencyVillages(splitRegency, kind).then((loaded) => current && setRegencyVillages(loaded));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [splitRegency, filters.kind]);

  const drilling = Boolean(filters.province);
  const level: Level | null = drilling
    ? provinceLevel && provinceLevel.code === filters.province && provinceLevel.kind === filters.kind
      ? provinceLevel
      : null
    : national?.kind === filters.kind
      ? national
      : null;
  const pilotsLoading = Boolean(filters.pilot) && pilots?.status !== 'ok' && pilots?.status !== 'unavailable';
  const villagesOfRegency = splitRegency && regencyVillages?.regency === splitRegency && regencyVillages.kind === filters.kind ? regencyVillages : undefined;
  const splitLoading = Boolean(splitRegency) && (!villagesOfRegency || villagesOfRegency.status === 'loading');
  const ready = Boolean(national && taskForce && level) && !pilotsLoading && !splitLoading;

  // "rendered": every panel of the current view has its data (or knows it is unavailable). Benchmarks and tests wait on it.
  useEffect(() => {
    if (!ready) return;
    document.body.dataset.dashboard = 'rendered';
    document.body.dataset.level = filters.province ?? 'national';
    document.body.dataset.renderedMs ??= String(Math.round(performance.now()));
  }, [ready, level, filters.province, pilots, villagesOfRegency]);

  const region = taskForce?.regions.find((r) => r.code === filters.region);
  const inRegion = (row: Row) => drilling || !region || region.provinces.includes(row.code);
  const inCategory = (row: Row) => !filters.category || (categoryCount(row, filters.category) ?? 1) > 0;
  // Undefined when the filter is off or the sites are unavailable: nothing is narrowed then.
  const pilotSites = filters.pilot && pilots?.status === 'ok' ? pilots.sites.filter((s) => filters.pilot === 'ANY' || s.model === filters.pilot) : undefined;
  const inPilot = (row: Row) => !pilotSites || sitesIn(pilotSites, row).length > 0;
  const rows = (level?.rows ?? []).filter((row) => inRegion(row) && inCategory(row) && inPilot(row));
  const provinceRow = drilling ? national?.rows.find((r) => r.code === filters.province) : undefined;
  const provinceName = drilling ? (provinceLevel?.name ?? provinceRow?.name ?? filters.province) : undefined;
  const selectedRegency = drilling && filters.regency ? rows.find((r) => r.code === filters.regency) : undefined;
  const scopeRows = selectedRegency ? [selectedRegency] : rows;
  const categoryVillages =
    selectedRegency && filters.category && villagesOfRegency?.status === 'ok'
      ? villagesOfRegency.villages.filter((v) => v.developmentStatus?.status === filters.category)
      : undefined;
  // Each village's figures are its one cooperative's: withheld from the public, so the split cannot be added up.
  const splitSuppressed = categoryVillages
    ?.map(
      (v) =>
        withheldIn(
          v.registry,
          STAGES.map((s) => s.field),
        ) ?? withheldIn(v.financing, ['cooperativesFinanced']),
    )
    .find(Boolean);
  const split: CategorySplit | undefined =
    categoryVillages && !splitSuppressed ? { category: filters.category!, villages: categoryVillages, of: villagesOfRegency!.villages.length } : undefined;
  const splitFailed = selectedRegency && villagesOfRegency?.status === 'unavailable' ? (villagesOfRegency.message ?? 'no data returned') : undefined;
  const pilotsInView = pilotSites && scopeRows.flatMap((row) => sitesIn(pilotSites, row));
  const narrowed = Boolean(region || filters.category || pilotSites) || rows.length !== (level?.rows.length ?? 0);
  const scope = selectedRegency
    ? selectedRegency.name
    : drilling
      ? provinceName!
      : !narrowed
        ? 'Indonesia'
        : `${region ? `Task Force region ${region.code}` : 'Indonesia'}${filters.category ? `, with ${filters.category} villages` : ''}${filters.pilot && pilotSites ? `, with ${pilotLabel(filters.pilot)}` : ''}` +
          ` (${rows.length} ${rows.length === 1 ? 'province' : 'provinces'})`;
  // Commitments are per province: the provinces in view, or the one drilled into.
  const commitmentProvinces = drilling ? (provinceRow ? [provinceRow] : []) : rows;

  return (
    <div className="page">
      <header className="top">
        <div>
          <h1>Kopdes Merah Putih · Task Force dashboard</h1>
          <p className="muted">
            Public figures from each ministry's subgraph through the Kopdes Graph gateway. <strong>Ministry data is synthetic.</strong>
          </p>
        </div>
        <nav className="breadcrumb" aria-label="Level">
          {drilling ? (
            <>
              <button type="button" className="link" onClick={() => change({ ...filters, province: undefined, regency: undefined })}>
                Indonesia
              </button>
              <span aria-hidden="true"> › </span>
              {selectedRegency ? (
                <>
                  <button type="button" className="link" onClick={() => change({ ...filters, regency: undefined })}>
                    {provinceName}
                  </button>
                  <span aria-hidden="true"> › </span>
                  <strong>{selectedRegency.name}</strong>
                </>
              ) : (
                <strong>{provinceName}</strong>
              )}
            </>
          ) : (
            <strong>Indonesia</strong>
          )}
        </nav>
      </header>
      <FiltersBar filters={filters} onChange={change} taskForce={taskForce} />
      <FilterNotes filters={filters} shown={rows.length} total={level?.rows.length ?? 0} region={region} pilots={pilots} pilotsInView={pilotsInView} />
      {!level || !taskForce || pilotsLoading ? (
        <p className="card loading" role="status">
          Loading figures from every ministry…
        </p>
      ) : level.fatal ? (
        <p className="card unavailable-box" role="alert">
          {level.fatal}
        </p>
      ) : (
        <>
          <Freshness slices={level.slices} taskForce={taskForce} />
          <div className="grid">
            <Funnel
              rows={scopeRows}
              slices={level.slices}
              scope={scope}
              filters={filters}
              split={split}
              splitFailed={splitFailed}
              splitSuppressed={splitSuppressed}
              splitPending={Boolean(selectedRegency) && splitLoading}
            />
            {selectedRegency ? (
              <RegencyDetail row={selectedRegency} slices={level.slices} pilot={filters.pilot} pilotSites={pilotsInView} />
            ) : (
              <RegionSummary rows={scopeRows} slices={level.slices} scope={scope} pilot={filters.pilot} pilotSites={pilotsInView} />
            )}
          </div>
          <Commitments
            provinces={commitmentProvinces}
            taskForce={taskForce}
            scope={drilling ? `${provinceName!}${selectedRegency ? ' (commitments are per province)' : ''}` : scope}
            single={drilling}
          />
          <RegionTable
            rows={rows}
            slices={level.slices}
            filters={filters}
            level={drilling ? 'regency' : 'province'}
            selected={filters.regency}
            taskForce={taskForce}
            pilotSites={pilotSites}
            onOpen={(row) => change(drilling ? { ...filters, regency: row.code } : { ...filters, province: row.code, regency: undefined })}
          />
          <Charts
            rows={rows}
            slices={level.slices}
            onOpen={drilling ? (row) => change({ ...filters, regency: row.code }) : (row) => change({ ...filters, province: row.code, regency: undefined })}
          />
          <p className="note map-note">
            No province map: no province boundary data set with a licence that allows shipping it could be found in the npm registry, the only source this
            project installs from (see README, <em>Dashboard and export</em>).
          </p>
        </>
      )}
      <footer className="muted">
        Regions: Kemendagri codes and names from idn-area-data (ODbL). Every other figure: synthetic, per ministry, with its own <em>as of</em> date. Stale:
        more than {STALE_DAYS} days behind the newest ministry.
      </footer>
    </div>
  );
}
