/**
 * KindlyGuard beside in-process detectors a Node user might pick instead, in the same run, on the same texts:
 * anti-trojan-source and out-of-character (BiDi / invisible / tag characters), libinjection's is_sqli and is_xss
 * through Datadog's libddwaf binding (SQL, XSS), llm-guard (prompt injection, jailbreak). Per category: recall on the
 * public attack files of that category, false positives on the benign files, MB/s over both. KindlyGuard runs its
 * whole scan (every family) on every text; a detection is a finding of the category at medium or above.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTrojanSource } from 'anti-trojan-source';
import { detect as outOfCharacter } from 'out-of-character';
import { createScanner } from '../dist/engine/scanner.js';
import { isDetection, type ThreatType } from '../dist/engine/threats.js';
import { PUBLIC_DIR } from '../scripts/corpus.js';

const require = createRequire(import.meta.url);

type Detect = (text: string) => boolean | Promise<boolean>;
interface Category { name: string; attacks: string[]; ours: ThreatType[]; peers: Record<string, () => Detect> }

function libddwaf(operator: 'is_sqli' | 'is_xss'): Detect {
  const { DDWAF } = require('@datadog/native-appsec') as typeof import('@datadog/native-appsec');
  const rule = { id: operator, name: operator, tags: { type: operator, category: 'attack_attempt' }, transformers: [],
    conditions: [{ operator, parameters: { inputs: [{ address: 'text' }] } }] };
  const waf = new DDWAF({ version: '2.2', metadata: { rules_version: '1.0.0' }, rules: [rule] }, 'bench');
  return (text) => {
    const ctx = waf.createContext();
    const r = ctx.run({ persistent: { text } }, 10_000_000);
    ctx.dispose();
    return r.events !== undefined && r.events.length > 0;
  };
}

function llmGuard(kind: 'promptInjection' | 'jailbreak'): Detect {
  const { LLMGuard } = require('llm-guard') as typeof import('llm-guard');
  const guard = new LLMGuard({ pii: false, profanity: false, toxicity: false, relevance: false,
    promptInjection: kind === 'promptInjection', jailbreak: kind === 'jailbreak' });
  return async (text) => !(await guard.validate(text)).isValid;
}

const CATEGORIES: Category[] = [
  { name: 'unicode (bidi, invisible, tag)', attacks: ['attacks-unicode_bidi', 'attacks-unicode_invisible', 'attacks-unicode_tag'],
    ours: ['unicode_bidi', 'unicode_invisible', 'unicode_tag'],
    peers: { 'anti-trojan-source': () => (text) => hasTrojanSource({ sourceText: text }), 'out-of-character': () => (text) => outOfCharacter(text) !== null } },
  { name: 'sql injection', attacks: ['attacks-sqli'], ours: ['sql_injection'], peers: { 'libinjection (libddwaf is_sqli)': () => libddwaf('is_sqli') } },
  { name: 'xss', attacks: ['attacks-xss'], ours: ['xss'], peers: { 'libinjection (libddwaf is_xss)': () => libddwaf('is_xss') } },
  { name: 'prompt injection', attacks: ['attacks-prompt_injection'], ours: ['prompt_injection', 'jailbreak'], peers: { 'llm-guard': () => llmGuard('promptInjection') } },
  { name: 'jailbreak', attacks: ['attacks-jailbreak'], ours: ['jailbreak', 'prompt_injection'], peers: { 'llm-guard': () => llmGuard('jailbreak') } },
];

const BENIGN = ['benign-prompts', 'benign-prompts-t0', 'benign-code', 'benign-docs', 'benign-multilingual', 'benign-responses', 'benign-tools', 'benign-web', 'benign-edge'];

function texts(files: string[], limit: number): string[] {
  const out: string[] = [];
  for (const f of files) {
    const p = join(PUBLIC_DIR, `${f}.jsonl`);
    if (!existsSync(p)) continue;
    const lines = readFileSync(p, 'utf8').split('\n').filter(Boolean);
    // An even spread over each file, the same every run.
    const step = Math.max(1, Math.floor(lines.length / limit));
    for (let i = 0; i < lines.length && out.length < limit * files.length; i += step) out.push((JSON.parse(lines[i]!) as { text: string }).text);
  }
  return out;
}

export interface PeerRow { category: string; detector: string; recall: number; falsePositiveRate: number; mbPerS: number; attacks: number; benign: number }

async function measure(detect: Detect, attacks: string[], benign: string[], bytes: number) {
  let hits = 0, fps = 0;
  const t0 = performance.now();
  for (const t of attacks) if (await detect(t)) hits++;
  for (const t of benign) if (await detect(t)) fps++;
  const seconds = (performance.now() - t0) / 1000;
  return { recall: hits / Math.max(1, attacks.length), falsePositiveRate: fps / Math.max(1, benign.length), mbPerS: bytes / 1e6 / seconds };
}

export async function runPeers(perFile = 1500): Promise<PeerRow[]> {
  if (!existsSync(PUBLIC_DIR)) return [];
  const scanner = createScanner({ policy: { action: 'report' } });
  const benign = texts(BENIGN, Math.ceil(perFile / 3));
  const rows: PeerRow[] = [];
  for (const c of CATEGORIES) {
    const attacks = texts(c.attacks, perFile);
    const bytes = [...attacks, ...benign].reduce((n, t) => n + Buffer.byteLength(t), 0);
    const types = new Set<string>(c.ours);
    const ours: Detect = (text) => scanner.scan(text).threats.some((t) => types.has(t.type) && isDetection(t));
    const detectors: Array<[string, Detect]> = [['kindly-guard', ours], ...Object.entries(c.peers).map(([n, make]) => [n, make()] as [string, Detect])];
    for (const [name, detect] of detectors) {
      await measure(detect, attacks.slice(0, 50), benign.slice(0, 50), 1); // warm up (JIT, lazy tables)
      const m = await measure(detect, attacks, benign, bytes);
      rows.push({ category: c.name, detector: name, attacks: attacks.length, benign: benign.length,
        recall: +(m.recall * 100).toFixed(1), falsePositiveRate: +(m.falsePositiveRate * 100).toFixed(2), mbPerS: +m.mbPerS.toFixed(1) });
    }
  }
  return rows;
}
