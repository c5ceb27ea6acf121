// View state kept in the URL (filters, categories, pilot models), so a view can be shared as a link.
import type { PilotSite, Row } from './shapes';

export const CATEGORIES = [
  { value: 'MANDIRI', field: 'mandiri' },
  { value: 'MAJU', field: 'maju' },
  { value: 'BERKEMBANG', field: 'berkembang' },
  { value: 'TERTINGGAL', field: 'tertinggal' },
  { value: 'SANGAT_TERTINGGAL', field: 'sangatTertinggal' },
] as const;
export type Category = (typeof CATEGORIES)[number]['value'];
export type Kind = 'KDMP' | 'KKMP';
export const PILOT_MODELS = ['AGRIBUSINESS', 'FISHERIES', 'PLANTATION', 'LIVESTOCK', 'TRADE_AND_LOGISTICS', 'TOURISM_AND_CRAFTS', 'URBAN_SERVICES'] as const;
export type PilotModel = (typeof PILOT_MODELS)[number];
/** Pilot sites of any model, or of one. */
export type Pilot = 'ANY' | PilotModel;

export interface Filters {
  /** Task Force region code, "I" to "IV". */
  region?: string;
  category?: Category;
  kind?: Kind;
  pilot?: Pilot;
  province?: string;
  regency?: string;
}

export function readFilters(): Filters {
  const p = new URLSearchParams(location.search);
  const category = CATEGORIES.find((c) => c.value === p.get('category'))?.value;
  const kind = p.get('kind') === 'KDMP' || p.get('kind') === 'KKMP' ? (p.get('kind') as Kind) : undefined;
  const pilot = (['ANY', ...PILOT_MODELS] as const).find((m) => m === p.get('pilot'));
  return { region: p.get('region') || undefined, category, kind, pilot, province: p.get('province') || undefined, regency: p.get('regency') || undefined };
}

export function writeFilters(f: Filters): void {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
  const search = p.toString();
  history.replaceState(null, '', search ? `?${search}` : location.pathname);
}

export const categoryCount = (row: Row, category: Category): number | null | undefined => {
  const field = CATEGORIES.find((c) => c.value === category)!.field;
  return row.development?.[field];
};

/** A region's pilot sites: those whose village code lies under the region's ("35" or "35.14"). */
export const sitesIn = (sites: PilotSite[], row: Row) => sites.filter((s) => s.village.code.startsWith(`${row.code}.`));
export const modelLabel = (model: PilotModel) => model.charAt(0) + model.slice(1).toLowerCase().replace(/_/g, ' ');
export const pilotLabel = (pilot: Pilot) => (pilot === 'ANY' ? 'pilot sites' : `${modelLabel(pilot)} pilot sites`);
export const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** "Agribusiness 2 · Fisheries 1": the models of some sites, most frequent first. */
export function modelSummary(sites: PilotSite[]): string {
  const counts = new Map<PilotModel, number>();
  for (const s of sites) counts.set(s.model, (counts.get(s.model) ?? 0) + 1);
  return [...counts]
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([model, n]) => `${modelLabel(model)} ${n}`)
    .join(' · ');
}
