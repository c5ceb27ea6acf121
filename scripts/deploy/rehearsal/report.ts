/** The rehearsal's figures: requests, failures by kind, p50/p99 before, during and after each event. */
import type { Shot } from './load';

export interface EventRecord {
  name: string;
  /** Milliseconds since the load started. */
  at: number;
  expectation: 'no failed request' | 'partial answers only';
  note?: string;
}

export const WINDOW_MS = 5_000;

export interface WindowFigures {
  requests: number;
  failures: Record<string, number>;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function figures(shots: Shot[]): WindowFigures {
  const failures: Record<string, number> = {};
  for (const s of shots) if (s.outcome !== 'ok') failures[s.outcome] = (failures[s.outcome] ?? 0) + 1;
  const ms = shots.map((s) => s.ms).sort((a, b) => a - b);
  return { requests: shots.length, failures, p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

const between = (shots: Shot[], from: number, to: number) => shots.filter((s) => s.at >= from && s.at < to);

export function eventWindows(shots: Shot[], event: EventRecord): { before: WindowFigures; during: WindowFigures; after: WindowFigures } {
  return {
    before: figures(between(shots, event.at - WINDOW_MS, event.at)),
    during: figures(between(shots, event.at, event.at + WINDOW_MS)),
    after: figures(between(shots, event.at + WINDOW_MS, event.at + 2 * WINDOW_MS)),
  };
}

const ms = (value: number) => (Number.isNaN(value) ? '–' : `${Math.round(value)}`);
const failureText = (failures: Record<string, number>) =>
  Object.entries(failures)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ') || '0';

/** Failures an event's expectation does not allow: any for "no failed request"; anything but partial answers otherwise. */
export function unexpected(event: EventRecord, window: WindowFigures): number {
  return Object.entries(window.failures)
    .filter(([kind]) => event.expectation === 'no failed request' || !kind.startsWith('partial:'))
    .reduce((sum, [, n]) => sum + n, 0);
}

export function eventTable(shots: Shot[], events: EventRecord[]): string {
  const rows = ['| event (s into the load) | expected | before: req · fail · p50/p99 ms | during (5 s) | after (5–10 s) |', '|---|---|---|---|---|'];
  for (const event of events) {
    const w = eventWindows(shots, event);
    const cell = (f: WindowFigures) => `${f.requests} · ${failureText(f.failures)} · ${ms(f.p50)}/${ms(f.p99)}`;
    rows.push(`| ${event.name} (${(event.at / 1000).toFixed(1)}) | ${event.expectation} | ${cell(w.before)} | ${cell(w.during)} | ${cell(w.after)} |`);
  }
  return rows.join('\n');
}

export function opsTable(shots: Shot[]): string {
  const ops = [...new Set(shots.map((s) => s.op))].sort();
  const rows = ['| operation | requests | failed | p50 ms | p99 ms |', '|---|---|---|---|---|'];
  for (const op of ops) {
    const f = figures(shots.filter((s) => s.op === op));
    rows.push(`| ${op} | ${f.requests} | ${failureText(f.failures)} | ${ms(f.p50)} | ${ms(f.p99)} |`);
  }
  const all = figures(shots);
  rows.push(`| **all** | ${all.requests} | ${failureText(all.failures)} | ${ms(all.p50)} | ${ms(all.p99)} |`);
  return rows.join('\n');
}
