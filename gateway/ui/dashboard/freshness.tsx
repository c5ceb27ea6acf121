// Data freshness per ministry: when each slice was last updated, stale ones flagged.
import { newest } from './data';
import { SLICES, type SliceState, type SourceKey, type TaskForce } from './shapes';

/** A ministry slice is flagged stale when its asOf trails the newest slice by more than this. */
export const STALE_DAYS = 45;

export function Freshness({ slices, taskForce }: { slices: Record<SourceKey, SliceState>; taskForce: TaskForce }) {
  const latest = newest(SLICES.map((s) => slices[s.key]?.asOf));
  const lan = taskForce.status === 'ok' ? 'fresh' : 'unavailable';
  return (
    <section className="card freshness" aria-label="Data freshness by ministry">
      <h2>Data by ministry</h2>
      <ul>
        {SLICES.map((s) => {
          const state = slices[s.key];
          if (!state) return null;
          const days = state.asOf && latest ? Math.floor((Date.parse(latest) - Date.parse(state.asOf)) / 86_400_000) : 0;
          const stale = state.status === 'ok' && days > STALE_DAYS;
          const status = state.status === 'unavailable' ? 'unavailable' : stale ? 'stale' : 'fresh';
          return (
            <li key={s.key} className={`chip ${status}`} data-ministry={s.key} data-status={status} title={state.message ?? state.source}>
              <strong>{s.owner}</strong> <span className="muted">{s.label}</span>
              <span className="state">
                {state.status === 'unavailable'
                  ? `${s.owner} data unavailable`
                  : `as of ${state.asOf ? state.asOf.slice(0, 10) : '—'}${stale ? ` · stale: ${days} days behind the newest` : ''}`}
              </span>
              {state.message && state.status === 'ok' && <span className="state warn">{state.message}</span>}
            </li>
          );
        })}
        <li className={`chip ${lan}`} data-ministry="taskForce" data-status={lan} title={taskForce.message}>
          <strong>LAN / Task Force</strong> <span className="muted">Commitments</span>
          <span className="state">
            {taskForce.status === 'ok'
              ? `evaluated on ${taskForce.evaluatedOn?.slice(0, 10) ?? '—'}`
              : taskForce.status === 'absent'
                ? 'LAN / Task Force data unavailable: not in this graph'
                : 'LAN / Task Force data unavailable'}
          </span>
          {taskForce.message && taskForce.status === 'ok' && <span className="state warn">{taskForce.message}</span>}
        </li>
      </ul>
    </section>
  );
}
