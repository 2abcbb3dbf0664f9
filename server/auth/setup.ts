/** Builds the auth pieces from config once the server's address is known (the default issuer is that address). */
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config.js';
import type { GatewayMetrics } from '../metrics.js';
import { ClientRegistry } from './clients.js';
import { createGuard, type Guard } from './guard.js';
import { loadSigningKeys, type SigningKey } from './keys.js';
import { TokenService } from './tokens.js';
import { Grants } from './grants.js';
import type { OAuthDeps } from './oauth-routes.js';
import type { SharedState } from '../state/state.js';

export interface AuthSetup { guard: Guard; oauth?: OAuthDeps }

/** Keys first (file reads, async), before the server listens; the rest is synchronous once the port is known. */
export async function loadAuthKeys(config: GatewayConfig): Promise<SigningKey[]> {
  return config.auth.enabled ? loadSigningKeys(config.auth.signing_key_files) : [];
}

export function setupAuth(config: GatewayConfig, metrics: GatewayMetrics, port: number, keys: SigningKey[], state: SharedState,
  log?: Logger): AuthSetup {
  const auth = config.auth;
  const scheme = config.server.tls ? 'https' : 'http';
  const issuer = auth.issuer ?? `${scheme}://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`;
  const resources = auth.allowed_resources.length ? auth.allowed_resources : [issuer];
  const configured = new Set(auth.allowed_clients.map((c) => c.client_id));
  // Metrics name configured clients only: anything else is "unknown", so labels stay bounded.
  const onAttempt = (clientId: string | undefined, ok: boolean) => {
    const client = clientId && configured.has(clientId) ? clientId : 'unknown';
    metrics.authAttempt(client, ok);
    if (!ok) log?.info({ event: 'auth_failure', client_id: client }, 'authentication failed');
  };
  if (!auth.enabled) return { guard: createGuard(undefined, issuer, onAttempt) };
  const tokens = new TokenService(keys, issuer, auth.token_lifetime_secs, state);
  return {
    guard: createGuard(tokens, issuer, onAttempt, state),
    oauth: { auth, issuer, resources, clients: new ClientRegistry(auth.allowed_clients), tokens, keys, onAttempt, state,
      grants: new Grants(auth.refresh_token_lifetime_secs, auth.token_lifetime_secs, state) },
  };
}
