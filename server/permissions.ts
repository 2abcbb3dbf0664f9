/**
 * Which upstream tools a client may see and call through the MCP proxy, deny by default. A tool is permitted when
 * it matches one of `allowed_tools` and none of `denied_tools` other than the catch-all "*" (which states the
 * default: nothing that is not allowed). Globs: `*` any run of characters, `?` one. A client's entry replaces the
 * defaults key by key. `max_threat_level`: a message with a finding above it is blocked whatever the policy action.
 * `require_signing`: the client's requests must carry a valid signature (auth/signing.ts).
 */
import { bool, validateRuleMap, validateSection, oneOf, type Check, sectionOf } from '../engine/config.js';
import { SEVERITIES, type Severity } from '../engine/threats.js';

export interface PermissionRule { allowed_tools?: string[]; denied_tools?: string[]; max_threat_level?: Severity; require_signing?: boolean }

export interface PermissionsConfig {
  default_permissions: Required<Pick<PermissionRule, 'allowed_tools' | 'denied_tools'>> & Pick<PermissionRule, 'max_threat_level' | 'require_signing'>;
  clients: Record<string, PermissionRule>;
}

export const DEFAULT_PERMISSIONS: PermissionsConfig = { default_permissions: { allowed_tools: [], denied_tools: ['*'] }, clients: {} };

const globs: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 200) ? null : 'must be a list of tool name patterns');
const RULE_KEYS: Record<string, Check> = { allowed_tools: globs, denied_tools: globs, max_threat_level: oneOf(SEVERITIES), require_signing: bool };

export function validatePermissions(input: unknown, bad: (path: string, msg: string) => void): PermissionsConfig {
  const cfg: PermissionsConfig = structuredClone(DEFAULT_PERMISSIONS);
  const section = sectionOf(input, 'permissions', bad);
  if (!section) return cfg;
  const { default_permissions, clients, ...rest } = section;
  for (const k of Object.keys(rest)) bad(`permissions.${k}`, 'unknown key');
  validateSection(default_permissions, RULE_KEYS, 'permissions.default_permissions', cfg.default_permissions as unknown as Record<string, unknown>, bad);
  cfg.clients = validateRuleMap<PermissionRule>(clients, RULE_KEYS, 'permissions.clients', bad);
  return cfg;
}

/** Glob to a matcher without regular expressions on the name (tool names come from untrusted upstreams). */
function globMatch(pattern: string, name: string): boolean {
  let p = 0, n = 0, star = -1, mark = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) { p++; n++; }
    else if (p < pattern.length && pattern[p] === '*') { star = p++; mark = n; }
    else if (star >= 0) { p = star + 1; n = ++mark; }
    else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

export class Permissions {
  constructor(private readonly cfg: PermissionsConfig) {}

  private rule(clientId: string | undefined) {
    const c = (clientId !== undefined && this.cfg.clients[clientId]) || {};
    const d = this.cfg.default_permissions;
    return { allowed: c.allowed_tools ?? d.allowed_tools, denied: c.denied_tools ?? d.denied_tools, max: c.max_threat_level ?? d.max_threat_level,
      signing: c.require_signing ?? d.require_signing ?? false };
  }

  /** The client must sign its requests (permissions' require_signing). */
  requiresSigning(clientId: string | undefined): boolean {
    return this.rule(clientId).signing;
  }

  toolPermitted(clientId: string | undefined, tool: string): boolean {
    if (tool.length > 256) return false;
    const r = this.rule(clientId);
    if (r.denied.some((g) => g !== '*' && globMatch(g, tool))) return false;
    return r.allowed.some((g) => globMatch(g, tool));
  }

  /** The client's max_threat_level (policy.ts decides with it), if one is set. */
  maxThreatLevel(clientId: string | undefined): Severity | undefined {
    return this.rule(clientId).max;
  }
}
