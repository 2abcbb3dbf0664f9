/**
 * Update check: now and then asks the npm registry for the latest published kindly-guard and, when it is newer than
 * this one, logs an `update_available` event (and posts it to `notify_webhook`). It never downloads or installs
 * anything. Off with `updates.check_enabled: false` or KINDLY_GUARD_NO_UPDATE_CHECK=1 (the test suite sets it).
 */
import type { Logger } from 'pino';
import { bool, validateSection, type Check } from '../engine/config.js';
import { parseDuration } from './duration.js';

export interface UpdatesConfig { check_enabled: boolean; check_interval: string; notify_webhook?: string }

export const DEFAULT_UPDATES: UpdatesConfig = { check_enabled: true, check_interval: '24h' };

export function validateUpdates(input: unknown, bad: (path: string, msg: string) => void): UpdatesConfig {
  const cfg: UpdatesConfig = structuredClone(DEFAULT_UPDATES);
  validateSection((input as { updates?: unknown } | null)?.updates, {
    check_enabled: bool,
    check_interval: ((v) => (typeof v === 'string' && (parseDuration(v) ?? 0) >= 3_600_000 ? null : 'must be a duration of at least 1h, such as "24h" or "7d"')) as Check,
    notify_webhook: (v) => (typeof v === 'string' && /^https?:\/\/\S+$/.test(v) ? null : 'must be an http(s) URL'),
  }, 'updates', cfg as unknown as Record<string, unknown>, bad);
  return cfg;
}

/** a > b for dotted numeric versions (pre-release suffixes are ignored). */
export function newer(a: string, b: string): boolean {
  const pa = a.split('-')[0]!.split('.').map(Number), pb = b.split('-')[0]!.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  return false;
}

export function startUpdateCheck(cfg: UpdatesConfig, current: string, log: Logger,
  registry = 'https://registry.npmjs.org/kindly-guard/latest', firstDelayMs = 60_000): { stop(): void } {
  if (!cfg.check_enabled || process.env.KINDLY_GUARD_NO_UPDATE_CHECK === '1') return { stop() {} };
  const check = async () => {
    try {
      const r = await fetch(registry, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json' } });
      if (!r.ok) throw new Error(`registry answered HTTP ${r.status}`);
      const latest = String(((await r.json()) as { version?: unknown }).version ?? '');
      if (!/^\d+\.\d+\.\d+/.test(latest) || !newer(latest, current)) return;
      const event = { event: 'update_available', current, latest };
      log.info(event, `kindly-guard ${latest} is available (this is ${current}); nothing is downloaded`);
      if (cfg.notify_webhook) {
        await fetch(cfg.notify_webhook, { method: 'POST', body: JSON.stringify(event), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10_000) });
      }
    } catch (e) {
      log.debug({ err: (e as Error).message }, 'update check failed');
    }
  };
  const first = setTimeout(() => void check(), firstDelayMs);
  const every = setInterval(() => void check(), parseDuration(cfg.check_interval)!);
  first.unref();
  every.unref();
  return { stop() { clearTimeout(first); clearInterval(every); } };
}
