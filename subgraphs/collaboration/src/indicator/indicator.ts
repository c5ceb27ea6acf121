import { SuppressionReason } from '@kopdes/kit';
import { Indicator } from '../generated/prisma/enums';

export { Indicator };

/** A ministry's namespace object on Province, as the gateway hands it to us through `@requires`. */
export type Namespace = 'registry' | 'financing' | 'energy' | 'digital' | 'labour' | 'development';

export type IndicatorUnit = 'COOPERATIVES' | 'VILLAGES' | 'PEOPLE' | 'KWP' | 'RUPIAH';

export interface IndicatorSpec {
  namespace: Namespace;
  /** The field of the namespace object that holds the indicator's level. */
  field: string;
  unit: IndicatorUnit;
  /** How a commitment reads, `{n}` standing for the target: "{n} kWp commissioned". */
  label: string;
  description: string;
}

/** Each namespace: the subgraph that owns it (and so the only agency that may commit to it), and where its asOf sits. */
export const NAMESPACES: Record<Namespace, { subgraph: string; asOf: string[] }> = {
  registry: { subgraph: 'cooperatives', asOf: ['provenance', 'asOf'] },
  financing: { subgraph: 'financing', asOf: ['asOf'] },
  energy: { subgraph: 'energy', asOf: ['asOf'] },
  digital: { subgraph: 'digital', asOf: ['asOf'] },
  labour: { subgraph: 'labour', asOf: ['asOf'] },
  development: { subgraph: 'villages', asOf: ['asOf'] },
};

/**
 * What a commitment can measure: a level another ministry publishes on Province, which only grows
 * as the programme advances (so a target is reached once the level meets it). Adding one means a
 * value in the Indicator enum (Prisma), a line here and the field on the external aggregate type.
 */
export const INDICATORS: Record<Indicator, IndicatorSpec> = {
  REGISTRY_LEGAL_ENTITIES: {
    namespace: 'registry',
    field: 'legalEntities',
    unit: 'COOPERATIVES',
    label: '{n} cooperatives with an AHU decree',
    description: 'Cooperatives holding an AHU decree (Province.registry.legalEntities, Kemenkop).',
  },
  REGISTRY_LOAN_READY: {
    namespace: 'registry',
    field: 'loanReady',
    unit: 'COOPERATIVES',
    label: '{n} cooperatives loan-ready',
    description: 'Cooperatives holding every registry precondition for a bank loan (Province.registry.loanReady, Kemenkop).',
  },
  REGISTRY_OPERATING: {
    namespace: 'registry',
    field: 'operating',
    unit: 'COOPERATIVES',
    label: '{n} cooperatives operating',
    description: 'Operating cooperatives (Province.registry.operating, Kemenkop).',
  },
  REGISTRY_MEMBERS: {
    namespace: 'registry',
    field: 'members',
    unit: 'PEOPLE',
    label: '{n} cooperative members',
    description: 'Cooperative members (Province.registry.members, Kemenkop).',
  },
  FINANCING_COOPERATIVES_FINANCED: {
    namespace: 'financing',
    field: 'cooperativesFinanced',
    unit: 'COOPERATIVES',
    label: '{n} cooperatives financed',
    description: 'Cooperatives with loan money disbursed (Province.financing.cooperativesFinanced, Kemenkeu / Himbara / LPDB).',
  },
  FINANCING_AMOUNT_DISBURSED: {
    namespace: 'financing',
    field: 'amountDisbursed',
    unit: 'RUPIAH',
    label: 'Rp {n} disbursed',
    description: 'Loan money disbursed, whole rupiah (Province.financing.amountDisbursed, Kemenkeu / Himbara / LPDB).',
  },
  ENERGY_KWP_COMMISSIONED: {
    namespace: 'energy',
    field: 'kwpCommissioned',
    unit: 'KWP',
    label: '{n} kWp commissioned',
    description: 'Solar capacity in service, COMMISSIONED or OPERATING, kWp (Province.energy.kwpCommissioned, ESDM).',
  },
  ENERGY_KWP_OPERATING: {
    namespace: 'energy',
    field: 'kwpOperating',
    unit: 'KWP',
    label: '{n} kWp operating',
    description: 'Solar capacity in regular operation, kWp (Province.energy.kwpOperating, ESDM).',
  },
  DIGITAL_COOPERATIVES_ONBOARDED: {
    namespace: 'digital',
    field: 'onboardedCooperatives',
    unit: 'COOPERATIVES',
    label: '{n} cooperatives onboarded to SIMKOPDES',
    description: 'Cooperatives onboarded to SIMKOPDES (Province.digital.onboardedCooperatives, Komdigi).',
  },
  DIGITAL_FIBER_VILLAGES: {
    namespace: 'digital',
    field: 'fiberVillages',
    unit: 'VILLAGES',
    label: '{n} villages reached by fiber',
    description: 'Surveyed villages reached by fiber (Province.digital.fiberVillages, Komdigi).',
  },
  DIGITAL_PAYMENT_COOPERATIVES: {
    namespace: 'digital',
    field: 'digitalPaymentCooperatives',
    unit: 'COOPERATIVES',
    label: '{n} cooperatives accepting digital payments',
    description: 'Cooperatives accepting digital payments (Province.digital.digitalPaymentCooperatives, Komdigi).',
  },
  LABOUR_EMPLOYEES: {
    namespace: 'labour',
    field: 'employees',
    unit: 'PEOPLE',
    label: '{n} people employed',
    description: 'People employed by cooperatives (Province.labour.employees, Kemnaker).',
  },
  LABOUR_TRAINED_BOARD_MEMBERS: {
    namespace: 'labour',
    field: 'trainedBoardMembers',
    unit: 'PEOPLE',
    label: '{n} board members trained',
    description: 'Board members trained (Province.labour.trainedBoardMembers, Kemnaker).',
  },
  LABOUR_CERTIFIED_STAFF: {
    namespace: 'labour',
    field: 'certifiedStaff',
    unit: 'PEOPLE',
    label: '{n} staff certified',
    description: 'Staff certified (Province.labour.certifiedStaff, Kemnaker).',
  },
  DEVELOPMENT_MANDIRI_VILLAGES: {
    namespace: 'development',
    field: 'mandiri',
    unit: 'VILLAGES',
    label: '{n} MANDIRI villages',
    description: 'Villages classified MANDIRI in the latest Indeks Desa (Province.development.mandiri, Kemendes PDT).',
  },
};

export const INDICATOR_LIST = Object.keys(INDICATORS) as Indicator[];

export const subgraphOf = (indicator: Indicator): string => NAMESPACES[INDICATORS[indicator].namespace].subgraph;

/** The indicators an agency owning data in `subgraph` may commit to. */
export function indicatorsOwnedBy(subgraph: string | null): Indicator[] {
  return subgraph === null ? [] : INDICATOR_LIST.filter((i) => subgraphOf(i) === subgraph);
}

/**
 * The `@requires` selection of Province.taskForce: every indicator's field, each namespace's asOf and
 * the figures it withholds from the caller, e.g. `energy { kwpCommissioned kwpOperating asOf suppressed { field reason } }`.
 * The gateway fetches these from the owning subgraphs, as the caller, and sends them with the Province representation.
 */
export function requiredSelection(): string {
  const byNamespace = new Map<Namespace, string[]>();
  for (const spec of Object.values(INDICATORS)) byNamespace.set(spec.namespace, [...(byNamespace.get(spec.namespace) ?? []), spec.field]);
  return [...byNamespace]
    .map(([namespace, fields]) => {
      const asOf = NAMESPACES[namespace].asOf.reduceRight((inner, field) => (inner ? `${field} { ${inner} }` : field), '');
      return `${namespace} { ${[...fields, asOf, 'suppressed { field reason }'].join(' ')} }`;
    })
    .join(' ');
}

/** Province figures as the gateway sends them: numbers, Rupiah and dates as JSON strings. */
export type ProvinceFigures = Partial<Record<Namespace, Record<string, unknown> | null>>;

export interface Reading {
  /** The level, as the owning ministry published it: "358", "12565000000", "1250.5". */
  value: string;
  asOf: Date | null;
}

/** The indicator's level in the figures the gateway sent; null when the owning subgraph did not answer. */
export function readIndicator(figures: ProvinceFigures, indicator: Indicator): Reading | null {
  const spec = INDICATORS[indicator];
  const slice = figures[spec.namespace];
  const raw = slice?.[spec.field];
  let value: string | null = null;
  if (typeof raw === 'number' && Number.isFinite(raw)) value = String(raw);
  else if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw)) value = raw;
  else if (typeof raw === 'bigint') value = raw.toString();
  if (value === null) return null;
  let asOf: unknown = slice;
  for (const field of NAMESPACES[spec.namespace].asOf) asOf = (asOf as Record<string, unknown> | null | undefined)?.[field];
  const date = typeof asOf === 'string' || asOf instanceof Date ? new Date(asOf) : null;
  return { value, asOf: date && !Number.isNaN(date.getTime()) ? date : null };
}

/**
 * Why the owning ministry withholds the indicator's figure from this caller (disclosure control: the
 * figure covers too few cooperatives for the public), or null. A withheld figure is never estimated.
 */
export function withheldReason(figures: ProvinceFigures, indicator: Indicator): SuppressionReason | null {
  const spec = INDICATORS[indicator];
  const suppressed = figures[spec.namespace]?.suppressed;
  if (!Array.isArray(suppressed)) return null;
  const entry = suppressed.find(
    (s: unknown): s is { field: string; reason: string } => typeof s === 'object' && s !== null && (s as { field?: unknown }).field === spec.field,
  );
  return entry && Object.values(SuppressionReason).includes(entry.reason as SuppressionReason) ? (entry.reason as SuppressionReason) : null;
}
