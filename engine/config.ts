/**
 * Configuration: defaults, validation and YAML loading. Unknown or mistyped keys are errors that name the key and
 * its line in the file, so a typo never silently turns a protection off.
 */
import { readFileSync } from 'node:fs';
import { parseDocument, LineCounter, isMap, isSeq, isScalar, type Node } from 'yaml';
import { ConfigError } from './errors.js';
import { THREAT_TYPES, SEVERITIES, type Severity, type ThreatType } from './threats.js';

export interface CustomPattern {
  id: string;
  type: ThreatType;
  /** Pattern in the engine's pattern language (engine/patterns/syntax.ts). */
  pattern: string;
  severity: Severity;
  description?: string;
}

export interface ScannerConfig {
  unicode_detection: boolean;
  injection_detection: boolean;
  max_scan_depth: number;
  enable_event_buffer: boolean;
  /** Largest input one scan accepts (bytes). */
  max_input_bytes: number;
  /** How many nested base64/hex layers are decoded and rescanned. */
  decode_depth: number;
  /** Per-type switches and severity overrides. */
  threats: Partial<Record<ThreatType, { enabled?: boolean; severity?: Severity }>>;
  custom_patterns: CustomPattern[];
}

export type PolicyAction = 'block' | 'neutralize' | 'report';

export interface PolicyRule {
  action?: PolicyAction;
  block_threshold?: Severity;
}

export interface PolicyConfig {
  action: PolicyAction;
  /** Lowest severity that blocks under `block`. */
  block_threshold: Severity;
  /** Per gateway route (`scan`, `stream`, `mcp`, `mcp_proxy`): overrides of the two keys above. */
  routes: Record<string, PolicyRule>;
  /** Per client id: overrides that win over the route's. */
  clients: Record<string, PolicyRule>;
}

export interface KindlyGuardConfig {
  scanner: ScannerConfig;
  policy: PolicyConfig;
}

export type ConfigInput = { scanner?: Partial<ScannerConfig>; policy?: Partial<PolicyConfig> };

export const DEFAULT_CONFIG: KindlyGuardConfig = {
  scanner: {
    unicode_detection: true,
    injection_detection: true,
    max_scan_depth: 5,
    enable_event_buffer: false,
    max_input_bytes: 16 * 1024 * 1024,
    decode_depth: 3,
    threats: {},
    custom_patterns: [],
  },
  policy: { action: 'block', block_threshold: 'high', routes: {}, clients: {} },
};

/** A value check: null when valid, else the problem. Exported for the other sections (server/ validates its own). */
export type Check = (v: unknown) => string | null;
export const bool: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');
export const int = (min: number, max: number): Check => (v) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? null : `must be an integer from ${min} to ${max}`;
export const oneOf = (list: readonly string[]): Check => (v) => (list.includes(v as string) ? null : `must be one of ${list.join(', ')}`);

const SCANNER_KEYS: Record<string, Check> = {
  unicode_detection: bool,
  injection_detection: bool,
  max_scan_depth: int(1, 1000),
  enable_event_buffer: bool,
  max_input_bytes: int(1024, 1 << 30),
  decode_depth: int(0, 8),
};
const POLICY_KEYS: Record<string, Check> = {
  action: oneOf(['block', 'neutralize', 'report']),
  block_threshold: oneOf(SEVERITIES),
};

/** Sections that belong to other parts of the product; validated by them. */
const OTHER_SECTIONS = new Set(['server', 'auth', 'signing', 'rate_limit', 'permissions', 'incident_response', 'logging',
  'log_sanitization', 'upstream', 'storage', 'updates', 'state', 'ext_authz']);

/** Validates a plain object; `where(path)` names a location for messages (a file line when loaded from YAML). */
export function validateConfig(input: unknown, where: (path: string) => string = (p) => p): KindlyGuardConfig {
  const problems: string[] = [];
  const bad = (path: string, msg: string) => problems.push(`${where(path)}: ${msg}`);
  const cfg: KindlyGuardConfig = structuredClone(DEFAULT_CONFIG);
  if (input === null || input === undefined) return cfg;
  if (typeof input !== 'object' || Array.isArray(input)) throw new ConfigError('config must be a mapping');
  for (const [section, value] of Object.entries(input as Record<string, unknown>)) {
    if (section === 'scanner') validateScanner(value, cfg, bad);
    else if (section === 'policy') validatePolicy(value, cfg, bad);
    else if (!OTHER_SECTIONS.has(section)) bad(section, 'unknown section');
  }
  if (problems.length) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`, problems);
  return cfg;
}

/** The top-level section `name` of a config as a mapping; undefined when absent (or not a mapping, reported). */
export function sectionOf(input: unknown, name: string, bad: (path: string, msg: string) => void): Record<string, unknown> | undefined {
  const section = (input as Record<string, unknown> | null)?.[name];
  if (section === undefined || section === null) return undefined;
  if (typeof section !== 'object' || Array.isArray(section)) { bad(name, 'must be a mapping'); return undefined; }
  return section as Record<string, unknown>;
}

/**
 * A mapping of names to rules (per-client overrides, per-route policies): each rule checked against `keys`.
 * `allowName` refuses names that are not known (with its message).
 */
export function validateRuleMap<T extends object>(value: unknown, keys: Record<string, Check>, path: string, bad: (path: string, msg: string) => void,
  allowName?: (name: string) => string | null): Record<string, T> {
  const out: Record<string, T> = {};
  if (value === undefined || value === null) return out;
  if (typeof value !== 'object' || Array.isArray(value)) { bad(path, 'must be a mapping'); return out; }
  for (const [name, rule] of Object.entries(value as Record<string, unknown>)) {
    const refused = allowName?.(name);
    if (refused) { bad(`${path}.${name}`, refused); continue; }
    const entry = {} as T;
    validateSection(rule, keys, `${path}.${name}`, entry as Record<string, unknown>, bad);
    out[name] = entry;
  }
  return out;
}

/** Checks a mapping's keys against `keys`, copying valid values into `target`; problems go to `bad`. */
export function validateSection(value: unknown, keys: Record<string, Check>, name: string, target: Record<string, unknown>,
  bad: (path: string, msg: string) => void): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) return bad(name, 'must be a mapping');
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const check = keys[k];
    if (!check) { bad(`${name}.${k}`, 'unknown key'); continue; }
    const err = check(v);
    if (err) bad(`${name}.${k}`, err);
    else target[k] = v;
  }
}

function validatePolicy(value: unknown, cfg: KindlyGuardConfig, bad: (path: string, msg: string) => void): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) return bad('policy', 'must be a mapping');
  const { routes, clients, ...rest } = value as Record<string, unknown>;
  validateSection(rest, POLICY_KEYS, 'policy', cfg.policy as unknown as Record<string, unknown>, bad);
  cfg.policy.routes = validateRuleMap<PolicyRule>(routes, POLICY_KEYS, 'policy.routes', bad,
    (route) => (POLICY_ROUTES.includes(route) ? null : `unknown route (known: ${POLICY_ROUTES.join(', ')})`));
  cfg.policy.clients = validateRuleMap<PolicyRule>(clients, POLICY_KEYS, 'policy.clients', bad);
}

/** Routes a policy can be set for (the gateway's names). */
export const POLICY_ROUTES = ['scan', 'stream', 'mcp', 'mcp_proxy', 'ext_authz'];

function validateScanner(value: unknown, cfg: KindlyGuardConfig, bad: (path: string, msg: string) => void): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) return bad('scanner', 'must be a mapping');
  const { threats, custom_patterns, ...rest } = value as Record<string, unknown>;
  validateSection(rest, SCANNER_KEYS, 'scanner', cfg.scanner as unknown as Record<string, unknown>, bad);
  if (threats !== undefined) {
    if (typeof threats !== 'object' || threats === null || Array.isArray(threats)) bad('scanner.threats', 'must be a mapping');
    else for (const [type, o] of Object.entries(threats as Record<string, unknown>)) {
      const path = `scanner.threats.${type}`;
      if (!THREAT_TYPES.includes(type as ThreatType)) { bad(path, `unknown threat type (known: ${THREAT_TYPES.join(', ')})`); continue; }
      const entry: { enabled?: boolean; severity?: Severity } = {};
      validateSection(o, { enabled: bool, severity: oneOf(SEVERITIES) }, path, entry as Record<string, unknown>, bad);
      cfg.scanner.threats[type as ThreatType] = entry;
    }
  }
  if (custom_patterns !== undefined) {
    if (!Array.isArray(custom_patterns)) return bad('scanner.custom_patterns', 'must be a list');
    custom_patterns.forEach((p, i) => {
      const path = `scanner.custom_patterns.${i}`;
      const entry: Record<string, unknown> = {};
      validateSection(p, {
        id: (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string'),
        type: oneOf(THREAT_TYPES),
        pattern: (v) => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? null : 'must be a string of 1-200 characters'),
        severity: oneOf(SEVERITIES),
        description: (v) => (typeof v === 'string' ? null : 'must be a string'),
      }, path, entry, bad);
      for (const req of ['id', 'type', 'pattern', 'severity']) if (!(req in entry) && p && typeof p === 'object' && !(req in p)) bad(`${path}.${req}`, 'is required');
      if ('id' in entry && 'type' in entry && 'pattern' in entry && 'severity' in entry) cfg.scanner.custom_patterns.push(entry as unknown as CustomPattern);
    });
  }
}

/** Merges a partial object over the defaults (for programmatic use), with the same validation. */
export function resolveConfig(input?: ConfigInput): KindlyGuardConfig {
  return validateConfig(input ?? {});
}

/** Reads and validates a YAML config file; problems name the key and its line. */
export function loadConfigFile(file: string): KindlyGuardConfig {
  // Only the engine's sections are read here (kindly-guard scan): the gateway's may name variables set only where
  // the gateway runs.
  const { value, where } = readConfigDocument(file, ['scanner', 'policy']);
  return validateConfig(value, where);
}

export interface ConfigDocument {
  /** The YAML as plain data. */
  value: unknown;
  /** `file:line: path` for a dotted key path, for messages. */
  where(path: string): string;
}

/** Reads a YAML config file (every section), so each part of the product can validate its own with line numbers. */
export function readConfigDocument(file: string, interpolateOnly?: string[]): ConfigDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config ${file}: ${(e as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const problems = doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
    throw new ConfigError(`invalid YAML:\n  ${problems.join('\n  ')}`, problems);
  }
  const where = (path: string): string => {
    let node: Node | null | undefined = doc.contents as Node;
    let keyNode: Node | undefined;
    for (const part of path.split('.')) {
      if (isMap(node)) {
        const items = node.items as Array<{ key: unknown; value: unknown }>;
        const pair = items.find((it) => isScalar(it.key) && String(it.key.value) === part);
        if (!pair) break;
        // The key's line: for a block mapping the value starts on the next line.
        keyNode = pair.key as Node;
        node = (pair.value ?? pair.key) as Node;
      } else if (isSeq(node)) { node = node.items[Number(part)] as Node; keyNode = node; }
      else break;
    }
    const offset = (keyNode ?? node)?.range?.[0];
    return offset === undefined ? `${file}: ${path}` : `${file}:${lines.linePos(offset).line}: ${path}`;
  };
  const value = doc.toJS() as unknown;
  if (!interpolateOnly || value === null || typeof value !== 'object' || Array.isArray(value)) return { value: interpolate(value, where), where };
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  // Wrapped in its section's name, so problems name the full path (scanner.custom_patterns.0.pattern).
  for (const k of interpolateOnly) if (k in out) out[k] = (interpolate({ [k]: out[k] }, where) as Record<string, unknown>)[k];
  return { value: out, where };
}

/**
 * `${NAME}` in a string value becomes the environment variable NAME, or, when NAME is unset and NAME_FILE is set,
 * that file's content (trailing newline removed): secrets stay out of the YAML. `$${` is a literal `${`. A missing
 * variable is an error that names the variable and the key, never a value.
 */
export function interpolate(value: unknown, where: (path: string) => string = (p) => p, env: NodeJS.ProcessEnv = process.env): unknown {
  const problems: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      return v.replace(/\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, escaped: string, name: string) => {
        if (escaped) return whole.slice(1);
        if (env[name] !== undefined) return env[name]!;
        const file = env[`${name}_FILE`];
        if (file !== undefined) {
          try { return readFileSync(file, 'utf8').replace(/\r?\n$/, ''); } catch (e) {
            problems.push(`${where(path)}: cannot read ${name}_FILE: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
            return '';
          }
        }
        problems.push(`${where(path)}: environment variable ${name} (or ${name}_FILE) is not set`);
        return '';
      });
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, path ? `${path}.${i}` : String(i)));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x, path ? `${path}.${k}` : k)]));
    }
    return v;
  };
  const out = walk(value, '');
  if (problems.length) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`, problems);
  return out;
}
