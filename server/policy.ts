/**
 * What the gateway does with a scan result on a route, for a client: the policy section's action and threshold,
 * overridden per route and then per client. `report` is shadow mode: nothing is blocked, but what would have been
 * is logged and counted. Above the client's `max_threat_level` (permissions) a request is blocked whatever the action.
 */
import { severityRank, type Severity, type Threat } from '../engine/threats.js';
import type { PolicyAction, PolicyConfig } from '../engine/config.js';

export type Route = 'scan' | 'stream' | 'mcp' | 'mcp_proxy' | 'ext_authz';

export interface Decision {
  action: PolicyAction;
  /** The request is refused. */
  block: boolean;
  /** The request's text is to be replaced by its neutralized form. */
  neutralize: boolean;
  /** Under `block` this would have been refused (shadow mode reports it). */
  wouldBlock: boolean;
}

export function decide(policy: PolicyConfig, route: Route, clientId: string | undefined, threats: Threat[], maxThreatLevel?: Severity): Decision {
  const byRoute = policy.routes[route] ?? {};
  const byClient = clientId !== undefined ? policy.clients[clientId] ?? {} : {};
  const action = byClient.action ?? byRoute.action ?? policy.action;
  const threshold = severityRank(byClient.block_threshold ?? byRoute.block_threshold ?? policy.block_threshold);
  const wouldBlock = threats.some((t) => severityRank(t.severity) >= threshold);
  const overMax = maxThreatLevel !== undefined && threats.some((t) => severityRank(t.severity) > severityRank(maxThreatLevel));
  if (overMax) return { action, wouldBlock: true, block: true, neutralize: false };
  return { action, wouldBlock, block: action === 'block' && wouldBlock, neutralize: action === 'neutralize' && wouldBlock };
}
