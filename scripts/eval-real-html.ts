/**
 * npm run eval:html [-- DIR...]: false positives on real markup. Scans the HTML files under the given directories
 * (default: /usr/share/doc and node_modules; files under 200 KiB, at most 400) in 2 KiB chunks, as a gateway sees
 * pages fetched by a tool, and prints how many chunks get a detection, by rule. There is no attack in these files:
 * every detection is a false positive (or a page quoting an attack).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createScanner } from '../index.js';
import { isDetection } from '../engine/threats.js';

const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['/usr/share/doc', 'node_modules'];
const MAX_FILES = 400, CHUNK = 2048;

function* htmlFiles(dir: string, depth = 0): Generator<string> {
  let entries: string[];
  try { entries = readdirSync(dir).sort(); } catch { return; }
  for (const e of entries) {
    const p = join(dir, e);
    let st;
    try { st = statSync(p); } catch { continue; }
    if (st.isDirectory() && depth < 12) yield* htmlFiles(p, depth + 1);
    else if (st.isFile() && e.endsWith('.html') && st.size < 200 * 1024) yield p;
  }
}

const files: string[] = [];
for (const d of dirs) for (const f of htmlFiles(d)) { if (files.length >= MAX_FILES) break; files.push(f); }
const scanner = createScanner({ policy: { action: 'report' } });
const byRule = new Map<string, number>();
let chunks = 0, flagged = 0;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  for (let i = 0; i < text.length; i += CHUNK) {
    chunks++;
    const found = scanner.scan(text.slice(i, i + CHUNK)).threats.filter(isDetection);
    if (found.length) flagged++;
    for (const t of found) byRule.set(t.rule ?? t.type, (byRule.get(t.rule ?? t.type) ?? 0) + 1);
  }
}
console.log(`${files.length} HTML files, ${chunks} chunks of ${CHUNK} bytes: ${flagged} with a detection (${(100 * flagged / Math.max(1, chunks)).toFixed(2)}%)`);
for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${String(n).padStart(5)}  ${rule}`);
