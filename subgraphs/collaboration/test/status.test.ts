import { describe, expect, it } from 'vitest';
import { loadRegions } from '@kopdes/kit/synthetic';
import { AGENCIES } from '../src/agency/agencies';
import { formatHundredths, parseHundredths, readingHundredths } from '../src/commitment/quantity';
import { AT_RISK_MARGIN, evaluateCommitment, parseQuarter, type StatusInput } from '../src/commitment/status';
import { INDICATOR_LIST, indicatorsOwnedBy, readIndicator, requiredSelection } from '../src/indicator/indicator';
import { TASK_FORCE_REGIONS, taskForceRegionOf } from '../src/task-force-region/task-force-regions';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const units = (n: number) => BigInt(Math.round(n * 100));

/** 100 units to reach from 0, 1 Jan → 1 Nov 2026 (304 days); the 10th of each month is easy to reason about. */
const commitment = (realised: number | null, on: string, extra: Partial<StatusInput> = {}) =>
  evaluateCommitment({
    target: units(100),
    baseline: 0n,
    realised: realised === null ? null : units(realised),
    startDate: day('2026-01-01'),
    dueDate: day('2026-11-01'),
    on: day(on),
    ...extra,
  });

describe('commitment status', () => {
  it('is DONE once realised reaches the target, before or after the due date', () => {
    expect(commitment(100, '2026-02-01')).toMatchObject({ status: 'DONE', progress: 1 });
    expect(commitment(140, '2027-06-01')).toMatchObject({ status: 'DONE', progress: 1 });
  });

  it('is LATE from the day after the due date when not done; the due date itself still counts', () => {
    expect(commitment(99, '2026-11-02')).toMatchObject({ status: 'LATE', expectedProgress: 1 });
    expect(commitment(99, '2026-11-01')).toMatchObject({ status: 'ON_TRACK', expectedProgress: 1 });
    expect(commitment(85, '2026-11-01').status).toBe('AT_RISK');
    expect(commitment(99, '2026-11-01', { on: new Date('2026-11-01T23:59:59Z') }).status).toBe('ON_TRACK');
  });

  it('is AT_RISK when progress trails elapsed time by more than the margin, ON_TRACK at or inside it', () => {
    // Half the time elapsed (1 Jan + 152 of 304 days = 2 Jun).
    const half = '2026-06-02';
    expect(commitment(null, half).expectedProgress).toBe(0.5);
    expect(AT_RISK_MARGIN).toBe(0.1);
    expect(commitment(39.99, half)).toMatchObject({ status: 'AT_RISK', progress: 0.3999 });
    expect(commitment(40, half)).toMatchObject({ status: 'ON_TRACK', progress: 0.4 });
    expect(commitment(70, half).status).toBe('ON_TRACK');
  });

  it('counts progress from the baseline', () => {
    const input = { baseline: units(80), target: units(100) };
    expect(commitment(90, '2026-06-02', input)).toMatchObject({ progress: 0.5, status: 'ON_TRACK' });
    expect(commitment(80, '2026-06-02', input)).toMatchObject({ progress: 0, status: 'AT_RISK' });
    expect(commitment(60, '2026-01-01', input)).toMatchObject({ progress: 0, expectedProgress: 0, status: 'ON_TRACK' });
  });

  it("has no status when the owning ministry's figure is missing", () => {
    expect(commitment(null, '2027-01-01')).toEqual({ progress: null, expectedProgress: 1, status: null });
  });

  it('compares rupiah exactly, beyond what a double holds', () => {
    const target = parseHundredths('9007199254740993')!; // 2^53 + 1
    const base = { baseline: 0n, startDate: day('2026-01-01'), dueDate: day('2026-12-31'), on: day('2026-03-01') };
    expect(evaluateCommitment({ ...base, target, realised: readingHundredths('9007199254740992') }).status).not.toBe('DONE');
    expect(evaluateCommitment({ ...base, target, realised: readingHundredths('9007199254740993') }).status).toBe('DONE');
  });
});

describe('quantities', () => {
  it('parses and prints exact decimals with at most two places', () => {
    expect(parseHundredths('512.5')).toBe(51250n);
    expect(formatHundredths(51250n)).toBe('512.5');
    expect(formatHundredths(parseHundredths('25000000000')!)).toBe('25000000000');
    for (const bad of ['', '-1', '1.234', '1e6', '12,5', ' ']) expect(parseHundredths(bad)).toBeNull();
  });

  it('reads published figures as hundredths, rounding past two decimals', () => {
    expect(readingHundredths('1250.505')).toBe(125051n);
    expect(readingHundredths('358')).toBe(35800n);
  });
});

describe('quarters', () => {
  it('reads "2026-Q2" and "current"', () => {
    expect(parseQuarter('2026-Q2', day('2020-01-01'))).toEqual({ label: '2026-Q2', from: day('2026-04-01'), to: day('2026-06-30') });
    expect(parseQuarter('current', day('2026-11-27'))).toEqual({ label: '2026-Q4', from: day('2026-10-01'), to: day('2026-12-31') });
    expect(parseQuarter('2026-Q5', day('2026-11-27'))).toBeNull();
  });
});

describe('Task Force regions', () => {
  it('map every one of the 38 provinces to exactly one region', () => {
    const provinces = loadRegions()
      .provinces.map((p) => p.code)
      .sort();
    expect(provinces).toHaveLength(38);
    const mapped = TASK_FORCE_REGIONS.flatMap((r) => r.provinceCodes).sort();
    expect(mapped).toEqual(provinces);
  });

  it.each([
    ['33', 'I'],
    ['34', 'I'],
    ['61', 'I'],
    ['65', 'I'],
    ['32', 'II'],
    ['11', 'II'],
    ['19', 'II'],
    ['21', 'II'],
    ['31', 'III'],
    ['36', 'III'],
    ['71', 'III'],
    ['76', 'III'],
    ['81', 'III'],
    ['82', 'III'],
    ['91', 'III'],
    ['96', 'III'],
    ['35', 'IV'],
    ['51', 'IV'],
    ['52', 'IV'],
    ['53', 'IV'],
  ])('puts province %s in region %s', (province, region) => {
    expect(taskForceRegionOf(province)?.code).toBe(region);
  });
});

describe('indicators and agencies', () => {
  it('lists the sixteen Inpres 9/2025 agencies as Task Force members, plus ESDM, Kemnaker and LAN', () => {
    expect(AGENCIES).toHaveLength(19);
    expect(AGENCIES.filter((a) => a.taskForceMember)).toHaveLength(16);
    expect(AGENCIES.filter((a) => !a.taskForceMember).map((a) => a.code)).toEqual(['ESDM', 'KEMNAKER', 'LAN']);
  });

  it('gives every indicator exactly one owning agency', () => {
    for (const indicator of INDICATOR_LIST) {
      expect(AGENCIES.filter((a) => indicatorsOwnedBy(a.dataSubgraph).includes(indicator))).toHaveLength(1);
    }
    expect(indicatorsOwnedBy('energy')).toEqual(['ENERGY_KWP_COMMISSIONED', 'ENERGY_KWP_OPERATING']);
  });

  it("requires every indicator's field and each namespace's asOf, and reads them back", () => {
    expect(requiredSelection()).toContain('energy { kwpCommissioned kwpOperating asOf suppressed { field reason } }');
    expect(requiredSelection()).toContain('registry { legalEntities loanReady operating members provenance { asOf } suppressed { field reason } }');
    const figures = { financing: { amountDisbursed: '12565000000', asOf: '2025-11-28T00:00:00.000Z' }, energy: { kwpCommissioned: 1250.5 }, registry: null };
    expect(readIndicator(figures, 'FINANCING_AMOUNT_DISBURSED')).toEqual({ value: '12565000000', asOf: new Date('2025-11-28T00:00:00.000Z') });
    expect(readIndicator(figures, 'ENERGY_KWP_COMMISSIONED')).toEqual({ value: '1250.5', asOf: null });
    expect(readIndicator(figures, 'REGISTRY_OPERATING')).toBeNull();
  });
});
