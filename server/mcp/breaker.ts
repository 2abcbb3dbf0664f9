/**
 * A circuit breaker in front of the upstream MCP server: after `failures` consecutive failures or timeouts it opens
 * and requests fail at once (no waiting on a dead upstream); after `open_secs` it lets one probe through
 * (half-open): success closes it, failure opens it again. Its state is a metric.
 */
import { UpstreamError, type Upstream } from './upstream.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions { failures: number; openSecs: number; onState?: (s: BreakerState) => void }

export function withBreaker(upstream: Upstream, o: BreakerOptions): Upstream & { readonly state: BreakerState } {
  let state: BreakerState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;
  const set = (s: BreakerState) => { if (s !== state) { state = s; o.onState?.(s); } };

  async function guarded<T>(call: () => Promise<T>): Promise<T> {
    if (state === 'open') {
      if (Date.now() - openedAt < o.openSecs * 1000 || probing) throw new UpstreamError('upstream unavailable (circuit open): retry later');
      set('half_open');
    }
    if (state === 'half_open') {
      if (probing) throw new UpstreamError('upstream unavailable (circuit half-open, probing): retry later');
      probing = true;
    }
    try {
      const r = await call();
      failures = 0;
      set('closed');
      return r;
    } catch (e) {
      if (e instanceof UpstreamError) {
        failures++;
        if (state === 'half_open' || failures >= o.failures) { set('open'); openedAt = Date.now(); }
      }
      throw e;
    } finally {
      probing = false;
    }
  }

  return {
    shared: upstream.shared,
    ...(upstream.handshake && { handshake: () => guarded(() => upstream.handshake!()) }),
    request: (msg, session) => guarded(() => upstream.request(msg, session)),
    notify: (msg, session) => guarded(() => upstream.notify(msg, session)),
    ...(upstream.endSession && { endSession: (s) => upstream.endSession!(s) }),
    close: () => upstream.close(),
    get state() { return state; },
  };
}
