/**
 * The `state:` section: where the state that several gateway processes must agree on lives (rate-limit buckets,
 * revocations and grants, signature nonces, blocked clients and incident counters, tool pins, threat events).
 * `memory` (the default) keeps it in the process, and blocked clients and threat events in the SQLite store;
 * `redis` shares it through Redis 7 or Valkey. `fail_mode` says, per kind of state, what a request gets when the
 * store cannot answer in time: `closed` refuses it (503), `open` lets it through; either way it is counted and logged.
 */
import { int, oneOf, sectionOf, validateSection, type Check } from '../../engine/config.js';

export const STATE_KINDS = ['rate_limit', 'tokens', 'replay', 'blocks', 'pins'] as const;
export type StateKind = typeof STATE_KINDS[number];
export type FailMode = 'closed' | 'open';

export interface StateConfig {
  backend: 'memory' | 'redis';
  /** redis://[user:password@]host:port[/db] or rediss:// (TLS); secrets via ${VAR} or STATE_URL_FILE-style interpolation. */
  url: string;
  /** Prefixed to every key, so several gateways (or other tenants) can share one Redis. */
  key_prefix: string;
  /** A state operation that takes longer counts as failed (fail_mode decides). */
  timeout_ms: number;
  fail_mode: Record<StateKind, FailMode>;
  /** Threat events kept in the shared stream (oldest trimmed first). */
  stream_max_events: number;
  /** Tool pins are forgotten after this long without being re-pinned (keys must expire). */
  pin_ttl_days: number;
}

export const DEFAULT_STATE: StateConfig = {
  backend: 'memory', url: 'redis://127.0.0.1:6379', key_prefix: 'kg:', timeout_ms: 100,
  fail_mode: { rate_limit: 'closed', tokens: 'closed', replay: 'closed', blocks: 'closed', pins: 'closed' },
  stream_max_events: 100_000, pin_ttl_days: 30,
};

const KEYS: Record<string, Check> = {
  backend: oneOf(['memory', 'redis']),
  url: (v) => (typeof v === 'string' && /^rediss?:\/\/\S+$/.test(v) ? null : 'must be a redis:// or rediss:// URL'),
  key_prefix: (v) => (typeof v === 'string' && /^[\w:.-]{0,64}$/.test(v) ? null : 'must be up to 64 letters, digits or _ : . -'),
  timeout_ms: int(1, 60_000),
  stream_max_events: int(1000, 100_000_000),
  pin_ttl_days: int(1, 3650),
};
const FAIL = oneOf(['closed', 'open']);

export function validateState(input: unknown, bad: (path: string, msg: string) => void): StateConfig {
  const cfg: StateConfig = structuredClone(DEFAULT_STATE);
  const section = sectionOf(input, 'state', bad);
  if (!section) return cfg;
  const { fail_mode, ...rest } = section;
  validateSection(rest, KEYS, 'state', cfg as unknown as Record<string, unknown>, bad);
  // One mode for every kind, or a mapping per kind.
  if (typeof fail_mode === 'string') {
    const problem = FAIL(fail_mode);
    if (problem) bad('state.fail_mode', problem);
    else for (const k of STATE_KINDS) cfg.fail_mode[k] = fail_mode as FailMode;
  } else if (fail_mode !== undefined) {
    validateSection(fail_mode, Object.fromEntries(STATE_KINDS.map((k) => [k, FAIL])), 'state.fail_mode', cfg.fail_mode, bad);
  }
  return cfg;
}
