/** `kindly-guard scan`: files, directories (recursive), stdin, or JSONL cases; text, JSON or SARIF output. */
import { parseArgs } from 'node:util';
import { createReadStream, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createScanner, type Scanner } from '../../engine/scanner.js';
import { loadConfigFile, type KindlyGuardConfig } from '../../engine/config.js';
import { isDetection, type Threat } from '../../engine/threats.js';
import { toSarif, lineStarts, position, type FileResult } from './sarif.js';
import { Progress } from './progress.js';

export const SCAN_HELP = `Usage: kindly-guard scan [PATH...|-] [options]

Scans files, directories (recursively) or standard input (-, the default when no path is given).

Options:
  --format text|json|sarif   output format (default text)
  --jsonl FILE               read {"id","text"} lines from FILE (- for stdin) and write one
                             {"id","threats":[...],"blocked":bool} line per input line
  --config FILE              YAML configuration (the scanner: and policy: sections apply)
  -h, --help                 show this help

Exit codes: 0 clean, 1 threats of severity medium or above, 2 usage or input error.
Binary files (a NUL byte in the first 8 KiB) are skipped and counted on stderr.
`;

const VERSION = '0.1.0';

export async function runScan(argv: string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        jsonl: { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`kindly-guard scan: ${(e as Error).message}\n\n${SCAN_HELP}`);
    return 2;
  }
  const { values, positionals } = opts;
  if (values.help) { process.stdout.write(SCAN_HELP); return 0; }
  const format = values.format!;
  if (!['text', 'json', 'sarif'].includes(format)) {
    process.stderr.write(`kindly-guard scan: --format must be text, json or sarif (got '${format}')\n`);
    return 2;
  }
  const config: KindlyGuardConfig | undefined = values.config ? loadConfigFile(values.config) : undefined;
  // The CLI reports; blocking is the gateway's business, but `blocked` still reflects the configured policy.
  const scanner = createScanner(config);
  if (values.jsonl !== undefined) {
    if (positionals.length) { process.stderr.write('kindly-guard scan: --jsonl takes no PATH arguments\n'); return 2; }
    return scanJsonl(scanner, values.jsonl);
  }
  return scanPaths(scanner, positionals.length ? positionals : ['-'], format);
}

function publicThreat(t: Threat): Threat {
  const { type, severity, offset, length, description, path, decoded, rule } = t;
  return { type, severity, offset, length, description, ...(path !== undefined && { path }), ...(decoded && { decoded }), ...(rule && { rule }) };
}

async function scanJsonl(scanner: Scanner, file: string): Promise<number> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const progress = new Progress('lines');
  let errors = 0;
  let dirty = false;
  let lineNo = 0;
  const out: string[] = [];
  const flush = () => { if (out.length) { process.stdout.write(out.join('')); out.length = 0; } };
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNo++;
      if (!line.trim()) continue;
      let rec: { id?: unknown; text?: unknown };
      try {
        rec = JSON.parse(line);
        if (typeof rec !== 'object' || rec === null || typeof rec.text !== 'string') throw new Error('expected {"id", "text": string}');
      } catch (e) {
        errors++;
        out.push(JSON.stringify({ id: null, line: lineNo, error: `line ${lineNo}: ${(e as Error).message}` }) + '\n');
        continue;
      }
      const r = scanner.scan(rec.text);
      if (r.threats.some(isDetection)) dirty = true;
      out.push(JSON.stringify({ id: rec.id ?? null, threats: r.threats.map(publicThreat), blocked: r.blocked }) + '\n');
      if (out.length >= 256) flush();
      progress.tick();
    }
  } catch (e) {
    flush();
    process.stderr.write(`kindly-guard scan: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  flush();
  progress.done();
  if (errors) process.stderr.write(`kindly-guard scan: ${errors} malformed line(s)\n`);
  return errors ? 2 : dirty ? 1 : 0;
}

function* walk(path: string): Generator<string> {
  const st = statSync(path);
  if (!st.isDirectory()) { yield path; return; }
  for (const name of readdirSync(path).sort()) {
    if (name === '.git' || name === 'node_modules') continue;
    yield* walk(join(path, name));
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function scanPaths(scanner: Scanner, paths: string[], format: string): Promise<number> {
  const results: FileResult[] = [];
  const progress = new Progress('files');
  let errors = 0, skipped = 0, dirty = false;
  for (const p of paths) {
    let files: Iterable<string>;
    try { files = p === '-' ? ['-'] : [...walk(p)]; } catch (e) {
      process.stderr.write(`kindly-guard scan: ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}\n`);
      errors++;
      continue;
    }
    for (const f of files) {
      let buf: Buffer;
      try { buf = f === '-' ? await readStdin() : readFileSync(f); } catch (e) {
        process.stderr.write(`kindly-guard scan: ${f}: ${(e as Error).message}\n`);
        errors++;
        continue;
      }
      if (isBinary(buf)) { skipped++; continue; }
      // Valid UTF-8 is scanned as text (offsets in characters); anything else as bytes, so the invalid
      // sequences are findings and offsets/lines are byte positions.
      let text: string | undefined;
      try { text = strictUtf8.decode(buf); } catch { text = undefined; }
      let threats: Threat[];
      try {
        threats = scanner.scan(text ?? new Uint8Array(buf)).threats;
      } catch (e) {
        process.stderr.write(`kindly-guard scan: ${f}: ${(e as Error).message}\n`);
        errors++;
        continue;
      }
      if (threats.some(isDetection)) dirty = true;
      results.push({ path: f === '-' ? '<stdin>' : f, threats: threats.map(publicThreat), lineStarts: lineStarts(text ?? buf.toString('latin1')) });
      progress.tick();
    }
  }
  progress.done();
  if (format === 'json') {
    process.stdout.write(JSON.stringify(results.map((r) => ({ path: r.path, threats: r.threats,
      blocked: r.threats.some((t) => t.severity === 'high' || t.severity === 'critical') })), null, 2) + '\n');
  } else if (format === 'sarif') {
    process.stdout.write(JSON.stringify(toSarif(results, VERSION), null, 2) + '\n');
  } else {
    let count = 0;
    for (const r of results) for (const t of r.threats) {
      const { line, column } = position(r.lineStarts, t.offset);
      count++;
      process.stdout.write(`${r.path}:${line}:${column}: ${t.severity} ${t.type}: ${t.description}${t.decoded ? ` [decoded ${t.decoded}]` : ''}\n`);
    }
    process.stderr.write(`kindly-guard: ${results.length} file(s) scanned, ${count} finding(s)${skipped ? `, ${skipped} binary file(s) skipped` : ''}\n`);
  }
  if (skipped && format !== 'text') process.stderr.write(`kindly-guard: ${skipped} binary file(s) skipped\n`);
  return errors ? 2 : dirty ? 1 : 0;
}
