/**
 * Rate limits: a token bucket per client and method, kept in the shared state (server/state) so that every gateway
 * instance takes from the same bucket (`rate_limit.default_rpm` per minute, `burst` at once, overrides
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

/** A refused take: how long until a token is back, and the IETF draft's RateLimit fields. */
export interface Refusal { retryAfter: number; headers: Record<string, string> }

/** The answer to a bucket with `tokens` left that refused a request. */
export function refusal(r: RateRule, tokens: number): Refusal {
  const retryAfter = Math.max(1, Math.ceil((1 - tokens) / (r.rpm / 60)));
  const reset = Math.ceil(r.burst / (r.rpm / 60));
  return { retryAfter, headers: { 'ratelimit-policy': `${r.burst};w=${reset}`, ratelimit: `limit=${r.burst}, remaining=0, reset=${reset}`, 'retry-after': String(retryAfter) } };
}

/** The request rule of a config for a client (undefined: by address): its override, else the defaults. */
export function requestRule(cfg: RateLimitConfig): (clientId: string | undefined) => RateRule {
  const dflt: RateRule = { rpm: cfg.default_rpm, burst: cfg.burst ?? Math.max(1, Math.round(cfg.default_rpm / 6)) };
  return (clientId) => {
    const o = clientId === undefined ? undefined : cfg.clients[clientId];
    if (!o) return dflt;
    const rpm = o.rpm ?? dflt.rpm;
    return { rpm, burst: o.burst ?? Math.max(1, Math.round(rpm / 6)) };
  };
}
