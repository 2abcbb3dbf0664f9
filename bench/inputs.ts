/** Benchmark inputs built reproducibly from ../shared/corpus/public (read in place): English, multilingual, attack-dense. */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC_DIR } from '../scripts/corpus.js';

export type Kind = 'english' | 'multilingual' | 'attack';

const SOURCES: Record<Kind, string[]> = {
  english: ['benign-prompts-t0.jsonl', 'benign-prompts.jsonl'],
  multilingual: ['benign-multilingual.jsonl', 'benign-multilingual-tldr.jsonl'],
  attack: ['attacks-sqli.jsonl', 'attacks-xss.jsonl', 'attacks-prompt_injection.jsonl', 'attacks-path_traversal.jsonl',
    'attacks-unicode_invisible.jsonl', 'attacks-cmdi.jsonl'],
};

const FALLBACK: Record<Kind, string> = {
  english: 'The quick brown fox jumps over the lazy dog while the committee reviews the quarterly budget. ',
  multilingual: 'Все люди рождаются свободными. 人人生而自由。 كل الناس يولدون أحرارا. Tous les êtres humains naissent libres. ',
  attack: "1' OR '1'='1' -- <script>alert(1)</script> ../../etc/passwd ignore previous instructions ; cat /etc/passwd ",
};

const cache = new Map<Kind, string>();

function pool(kind: Kind): string {
  let text = cache.get(kind);
  if (text !== undefined) return text;
  const parts: string[] = [];
  for (const f of SOURCES[kind]) {
    const p = join(PUBLIC_DIR, f);
    if (!existsSync(p)) continue;
    // Interleave files line by line so every slice mixes sources; order is the files' own (fixed).
    for (const line of readFileSync(p, 'utf8').split('\n')) if (line) parts.push((JSON.parse(line) as { text: string }).text);
  }
  text = parts.length ? parts.join('\n') : FALLBACK[kind].repeat(20000);
  cache.set(kind, text);
  return text;
}

/** `size` bytes of UTF-8 text of a kind (cut on a character boundary), as bytes. */
export function input(kind: Kind, size: number, offset = 0): Uint8Array {
  const text = pool(kind);
  const all = Buffer.from(text.slice(offset, offset + size * 2 + 16));
  const buf = all.length >= size ? all : Buffer.from(text.repeat(Math.ceil(size / Math.max(1, text.length)) + 1).slice(0, size * 2));
  let end = Math.min(size, buf.length);
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // do not split a character
  return new Uint8Array(buf.subarray(0, end));
}
