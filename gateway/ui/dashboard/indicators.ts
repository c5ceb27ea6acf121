// Indicators: what the table columns and charts show, and how each value is formatted.
import { type FieldRef, int, kwp, pct, plus, rupiah, share } from './figures';
import type { Row, SliceKey } from './shapes';

export type Format = 'int' | 'pct' | 'rupiah' | 'kwp' | 'dec';
export interface Indicator {
  key: string;
  source: SliceKey;
  label: string;
  format: Format;
  /** The figures it reads, to tell a suppressed one from a missing one. */
  fields: string[];
  /** A number for charts and sorting (rupiah as Number: display only, sums use BigInt). */
  value: (row: Row) => number | null | undefined;
}

/** A rupiah string as a Number (charts and sorting only), null when withheld. */
export const numberOf = (rupiahText: string | null | undefined) => (rupiahText === null || rupiahText === undefined ? rupiahText : Number(rupiahText));
export const refsOf = (i: Indicator): FieldRef[] => i.fields.map((f) => [i.source, f] as const);

export const INDICATORS: Indicator[] = [
  { key: 'cooperatives', source: 'registry', label: 'Cooperatives formed', format: 'int', fields: ['cooperatives'], value: (r) => r.registry?.cooperatives },
  {
    key: 'legalShare',
    source: 'registry',
    label: 'Share with a legal entity',
    format: 'pct',
    fields: ['legalEntities', 'cooperatives'],
    value: (r) => share(r.registry?.legalEntities, r.registry?.cooperatives),
  },
  {
    key: 'loanReadyShare',
    source: 'registry',
    label: 'Share loan-eligible',
    format: 'pct',
    fields: ['loanReady', 'cooperatives'],
    value: (r) => share(r.registry?.loanReady, r.registry?.cooperatives),
  },
  {
    key: 'operatingShare',
    source: 'registry',
    label: 'Share operating',
    format: 'pct',
    fields: ['operating', 'cooperatives'],
    value: (r) => share(r.registry?.operating, r.registry?.cooperatives),
  },
  { key: 'members', source: 'registry', label: 'Members', format: 'int', fields: ['members'], value: (r) => r.registry?.members },
  {
    key: 'financed',
    source: 'financing',
    label: 'Cooperatives financed',
    format: 'int',
    fields: ['cooperativesFinanced'],
    value: (r) => r.financing?.cooperativesFinanced,
  },
  {
    key: 'disbursed',
    source: 'financing',
    label: 'Amount disbursed',
    format: 'rupiah',
    fields: ['amountDisbursed'],
    value: (r) => numberOf(r.financing?.amountDisbursed),
  },
  {
    key: 'arrears',
    source: 'financing',
    label: 'Cooperatives in arrears',
    format: 'int',
    fields: ['cooperativesInArrears'],
    value: (r) => r.financing?.cooperativesInArrears,
  },
  {
    key: 'intercepted',
    source: 'financing',
    label: 'Dana Desa intercepted',
    format: 'rupiah',
    fields: ['interceptedAmount'],
    value: (r) => numberOf(r.financing?.interceptedAmount),
  },
  { key: 'kwpCommissioned', source: 'energy', label: 'Solar in service', format: 'kwp', fields: ['kwpCommissioned'], value: (r) => r.energy?.kwpCommissioned },
  { key: 'kwpPlanned', source: 'energy', label: 'Solar planned', format: 'kwp', fields: ['kwpPlanned'], value: (r) => r.energy?.kwpPlanned },
  {
    key: 'unelectrified',
    source: 'energy',
    label: 'Villages without electricity',
    format: 'int',
    fields: ['unelectrifiedVillages'],
    value: (r) => r.energy?.unelectrifiedVillages,
  },
  {
    key: 'share4g',
    source: 'digital',
    label: 'Villages with 4G or better',
    format: 'pct',
    fields: ['share4gOrBetter'],
    value: (r) => r.digital?.share4gOrBetter,
  },
  {
    key: 'blankSpots',
    source: 'digital',
    label: 'Blank-spot villages',
    format: 'int',
    fields: ['blankSpotVillages'],
    value: (r) => r.digital?.blankSpotVillages,
  },
  {
    key: 'onboarded',
    source: 'digital',
    label: 'Cooperatives onboarded',
    format: 'int',
    fields: ['onboardedCooperatives'],
    value: (r) => r.digital?.onboardedCooperatives,
  },
  { key: 'employees', source: 'labour', label: 'Employees', format: 'int', fields: ['employees'], value: (r) => r.labour?.employees },
  {
    key: 'perCooperative',
    source: 'labour',
    label: 'Employees per cooperative (target 20–25)',
    format: 'dec',
    fields: ['averagePerCooperative'],
    value: (r) => r.labour?.averagePerCooperative,
  },
  {
    key: 'atTarget',
    source: 'labour',
    label: 'Cooperatives at target',
    format: 'int',
    fields: ['cooperativesAtTarget'],
    value: (r) => r.labour?.cooperativesAtTarget,
  },
  {
    key: 'trained',
    source: 'labour',
    label: 'Trained board members',
    format: 'int',
    fields: ['trainedBoardMembers'],
    value: (r) => r.labour?.trainedBoardMembers,
  },
  {
    key: 'lagging',
    source: 'development',
    label: 'TERTINGGAL + SANGAT_TERTINGGAL villages',
    format: 'int',
    fields: ['tertinggal', 'sangatTertinggal'],
    value: (r) => plus(r.development?.tertinggal, r.development?.sangatTertinggal),
  },
  { key: 'mandiri', source: 'development', label: 'MANDIRI villages', format: 'int', fields: ['mandiri'], value: (r) => r.development?.mandiri },
  {
    key: 'danaDesa',
    source: 'development',
    label: 'Dana Desa total',
    format: 'rupiah',
    fields: ['danaDesaTotal'],
    value: (r) => numberOf(r.development?.danaDesaTotal),
  },
];

export function formatValue(value: number | null | undefined, format: Format): string {
  switch (format) {
    case 'pct':
      return pct(value);
    case 'rupiah':
      return value === null || value === undefined ? '—' : rupiah(BigInt(Math.round(value)));
    case 'kwp':
      return kwp(value);
    case 'dec':
      return value === null || value === undefined ? '—' : value.toFixed(2);
    default:
      return int(value);
  }
}
