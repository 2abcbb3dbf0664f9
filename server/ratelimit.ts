/**
 * Rate limits: a token bucket per client and method (`rate_limit.default_rpm` per minute, `burst` at once, overrides
 * per client). A request that carried threats costs `threat_penalty_multiplier` tokens instead of one, so a client
 * probing with attacks slows itself down. Refusals are 429 with `Retry-After` and the `RateLimit` / `RateLimit-Policy`
 * fields of the IETF draft. A second limiter guards `/oauth/token`: attempts per client id and per address.
 */
import { int, validateRuleMap, validateSection, type Check, sectionOf } from '../engine/config.js';

export interface RateRule { rpm: number; burst: number }

export interface RateLimitConfig {
  enabled: boolean;
  default_rpm: number;
  /** Requests that may come at once before the per-minute rate applies; default: default_rpm / 6, at least 1. */
  burst?: number;
  threat_penalty_multiplier: number;
  clients: Record<string, Partial<RateRule>>;
  /** /oauth/token attempts per minute, per client id and per remote address. */
  token_endpoint_per_client_rpm: number;
  token_endpoint_per_address_rpm: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  enabled: true, default_rpm: 30, threat_penalty_multiplier: 5, clients: {}, token_endpoint_per_client_rpm: 10, token_endpoint_per_address_rpm: 30,
};

const multiplier: Check = (v) => (typeof v === 'number' && v >= 1 && v <= 1000 ? null : 'must be a number from 1 to 1000');
const KEYS: Record<string, Check> = {
  enabled: (v) => (typeof v === 'boolean' ? null : 'must be true or false'),
  default_rpm: int(1, 10_000_000), burst: int(1, 10_000_000), threat_penalty_multiplier: multiplier,
  token_endpoint_per_client_rpm: int(1, 100_000), token_endpoint_per_address_rpm: int(1, 100_000),
};
const CLIENT_KEYS: Record<string, Check> = { rpm: int(1, 10_000_000), burst: int(1, 10_000_000) };

export function validateRateLimit(input: unknown, bad: (path: string, msg: string) => void): RateLimitConfig {
  const cfg: RateLimitConfig = structuredClone(DEFAULT_RATE_LIMIT);
  const section = sectionOf(input, 'rate_limit', bad);
  if (!section) return cfg;
  const { clients, ...rest } = section;
  validateSection(rest, KEYS, 'rate_limit', cfg as unknown as Record<string, unknown>, bad);
  cfg.clients = validateRuleMap<Partial<RateRule>>(clients, CLIENT_KEYS, 'rate_limit.clients', bad);
  return cfg;
}

export type Verdict = { ok: true; headers: Record<string, string> } | { ok: false; retryAfter: number; headers: Record<string, string> };

interface Bucket { tokens: number; at: number }

const MAX_BUCKETS = 100_000;

export class Limiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly rule: (key: string) => RateRule) {}

  /** Takes `cost` tokens from key's bucket for `method`; refused when fewer than one is left. */
  take(key: string, method: string, cost = 1): Verdict {
    const r = this.rule(key);
    const b = this.bucket(`${key}\u0000${method}`, r);
    const headers = (remaining: number) => {
      const reset = Math.ceil(Math.max(0, r.burst - remaining) / (r.rpm / 60));
      return { 'ratelimit-policy': `${r.burst};w=${Math.ceil(r.burst / (r.rpm / 60))}`, ratelimit: `limit=${r.burst}, remaining=${Math.max(0, Math.floor(remaining))}, reset=${reset}` };
    };
    if (b.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - b.tokens) / (r.rpm / 60)));
      return { ok: false, retryAfter, headers: { ...headers(0), 'retry-after': String(retryAfter) } };
    }
    b.tokens -= cost;
    return { ok: true, headers: headers(b.tokens) };
  }

  /** Extra cost after the fact (a request that turned out to carry threats); the bucket may go into debt. */
  charge(key: string, method: string, cost: number): void {
    const b = this.bucket(`${key}\u0000${method}`, this.rule(key));
    b.tokens -= cost;
  }

  private bucket(id: string, r: RateRule): Bucket {
    const now = performance.now() / 1000;
    let b = this.buckets.get(id);
    if (!b) {
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
      b = { tokens: r.burst, at: now };
      this.buckets.set(id, b);
    } else {
      b.tokens = Math.min(r.burst, b.tokens + (now - b.at) * (r.rpm / 60));
      b.at = now;
    }
    return b;
  }
}

/** The request limiter of a config: per-client overrides, else the defaults. */
export function requestLimiter(cfg: RateLimitConfig): Limiter {
  const dflt: RateRule = { rpm: cfg.default_rpm, burst: cfg.burst ?? Math.max(1, Math.round(cfg.default_rpm / 6)) };
  return new Limiter((key) => {
    const o = cfg.clients[key];
    if (!o) return dflt;
    const rpm = o.rpm ?? dflt.rpm;
    return { rpm, burst: o.burst ?? Math.max(1, Math.round(rpm / 6)) };
  });
}
