/** Reads labelled JSONL corpora: the project's corpus/ and ../shared/corpus/public (read in place, never copied). */
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Case { id: string; text: string; label: 'malicious' | 'benign'; category: string; file: string }

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PUBLIC_DIR = join(ROOT, '..', 'shared', 'corpus', 'public');
export const OWN_DIR = join(ROOT, 'corpus');
/**
 * Red-team probes: attacks and hard negatives written by adversarial reviews and used to write rules, so they are
 * reported apart (a training set, not a measure of unseen text) and kept out of the recall and FPR figures.
 */
export const REDTEAM_DIR = join(OWN_DIR, 'redteam');
/**
 * Held-out probes: attacks and near-misses written by a helper that never saw the rules. Cases with odd numbers were
 * read to write rules (half A); even ones never were (half B, the honest measure). Reported apart, like the red team.
 */
export const HELDOUT_DIR = join(OWN_DIR, 'heldout');
/** Later blind sets (corpus/heldout-c, ...): written at the end of a session and never read. */
export const LATER_HELDOUT_DIRS = existsSync(OWN_DIR)
  ? readdirSync(OWN_DIR).filter((d) => d.startsWith('heldout-')).sort().map((d) => join(OWN_DIR, d)) : [];
const APART = [REDTEAM_DIR, HELDOUT_DIR, ...LATER_HELDOUT_DIRS];

function jsonlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (APART.includes(p) && dir !== p) continue;
    if (statSync(p).isDirectory()) out.push(...jsonlFiles(p));
    else if (name.endsWith('.jsonl')) out.push(p);
  }
  return out.sort();
}

export function readCases(dirs: string[] = [OWN_DIR, PUBLIC_DIR]): Case[] {
  const cases: Case[] = [];
  for (const dir of dirs) {
    for (const file of jsonlFiles(dir)) {
      const rel = relative(join(ROOT, '..'), file);
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const c = JSON.parse(line) as Omit<Case, 'file'>;
        cases.push({ ...c, file: rel });
      }
    }
  }
  return cases;
}

/** Public-corpus category names -> the threat families they belong to. */
export const CATEGORY_FAMILY: Record<string, string> = {
  cmdi: 'command_injection', sqli: 'sql_injection', nosqli: 'nosql_injection', ldap: 'ldap_injection', ssti: 'template_injection',
  secret: 'secret_exposure', xss: 'xss', xxe: 'xxe', path_traversal: 'path_traversal', prompt_injection: 'prompt_injection',
  jailbreak: 'jailbreak', tool_poisoning: 'tool_poisoning', unicode_bidi: 'unicode_bidi', unicode_homoglyph: 'unicode_homoglyph',
  unicode_invisible: 'unicode_invisible', unicode_tag: 'unicode_tag',
};

export function familyOf(category: string): string {
  return CATEGORY_FAMILY[category] ?? category;
}

/** Target groups from the scanning-core issue. */
export function targetGroup(family: string): 'classic' | 'prompt' | 'unicode' | 'other' {
  if (family.startsWith('unicode_')) return 'unicode';
  if (family === 'prompt_injection' || family === 'jailbreak' || family === 'tool_poisoning') return 'prompt';
  if (['sql_injection', 'nosql_injection', 'xss', 'command_injection', 'path_traversal', 'ldap_injection', 'template_injection', 'xxe'].includes(family)) return 'classic';
  return 'other';
}
