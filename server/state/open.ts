/** The shared state a config asks for: memory (over the SQLite store), or Redis behind fail_mode. */
import type { Logger } from 'pino';
import type { ThreatStore } from '../store/threat-store.js';
import type { StateConfig } from './config.js';
import type { SharedState } from './state.js';
import { MemoryState } from './memory.js';
import { RedisState, redactUrl } from './redis.js';
import { FailSafeState } from './fail-safe.js';

export interface StateReport {
  stateDegraded(kind: string, decision: 'refused' | 'allowed' | 'dropped'): void;
  stateUp(up: boolean): void;
}

export interface OpenedState {
  state: SharedState;
  /** Resolves when the backend answers; rejects after `ms` without an answer. */
  ready(ms: number): Promise<void>;
}

export function openState(cfg: StateConfig, store: ThreatStore, report: StateReport, log: Logger): OpenedState {
  if (cfg.backend === 'memory') return { state: new MemoryState(store), ready: () => Promise.resolve() };
  const where = redactUrl(cfg.url);
  const redis = new RedisState(cfg, {
    onDropped(n) {
      report.stateDegraded('threats', 'dropped');
      log.warn({ event: 'state_degraded', kind: 'threats', op: 'publish', decision: 'dropped', count: n }, 'threat events not shared (kept in the local store)');
    },
    onConnection(up, detail) {
      report.stateUp(up);
      if (up) log.info({ event: 'state_connected', url: where }, 'shared state connected');
      else log.error({ event: 'state_disconnected', url: where, err: detail }, 'shared state unreachable: reconnecting with backoff');
    },
  });
  report.stateUp(false);
  return { state: new FailSafeState(redis, cfg.fail_mode, report, log), ready: (ms) => redis.ready(ms) };
}
