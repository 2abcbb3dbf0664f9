/** `kindly-guard scan`: files, directories (recursive), stdin, or JSONL cases; text, JSON or SARIF output. */
import { parseArgs } from 'node:util';
import { createReadStream, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createScanner } from '../../engine/scanner.js';
import { createScanPool } from '../../engine/pool/pool.js';
import { loadConfigFile, type KindlyGuardConfig } from '../../engine/config.js';
import { isDetection, type ScanResult, type Threat } from '../../engine/threats.js';
import { toSarif, lineStarts, position, type FileResult } from './sarif.js';
import { Progress } from './progress.js';
import { VERSION } from '../version.js';
import { decodeUtf8 } from '../../engine/utf8.js';

export const SCAN_HELP = `Usage: kindly-guard scan [PATH...|-] [options]

Scans files, directories (recursively) or standard input (-, the default when no path is given).

Options:
  --format text|json|sarif   output format (default text)
  --jsonl FILE               read {"id","text"} lines from FILE (- for stdin) and write one
                             {"id","threats":[...],"blocked":bool} line per input line
  --config FILE              YAML configuration (the scanner: and policy: sections apply)
  --threads N                worker threads; 0 scans on this thread (default: all cores when the
                             files or the --jsonl file add up to over 1 MiB, this thread otherwise)
  -h, --help                 show this help

Exit codes: 0 clean, 1 threats of severity medium or above, 2 usage or input error.
Binary files (a NUL byte in the first 8 KiB) are skipped and counted on stderr.
`;


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
        threads: { type: 'string' },
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
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 0 && threads <= 256)) {
    process.stderr.write(`kindly-guard scan: --threads must be a whole number from 0 to 256 (got '${values.threads}')\n`);
    return 2;
  }
  const config: KindlyGuardConfig | undefined = values.config ? loadConfigFile(values.config) : undefined;
  if (values.jsonl !== undefined && positionals.length) { process.stderr.write('kindly-guard scan: --jsonl takes no PATH arguments\n'); return 2; }
  const paths = positionals.length ? positionals : ['-'];
  // The CLI reports; blocking is the gateway's business, but `blocked` still reflects the configured policy.
  const backend = openBackend(config, threads ?? (bigJob(values.jsonl, paths) ? undefined : 0));
  try {
    return values.jsonl !== undefined ? await scanJsonl(backend, values.jsonl) : await scanPaths(backend, paths, format);
  } finally {
    await backend.close();
  }
}

interface Backend { scan(input: string | Uint8Array): Promise<ScanResult>; close(): Promise<void> }

/** Worker threads pay off when there is much to scan: over 1 MiB of JSONL or of files (starting them costs more). */
function bigJob(jsonl: string | undefined, paths: string[]): boolean {
  const BIG = 1 << 20;
  try {
    if (jsonl !== undefined) return jsonl !== '-' && statSync(jsonl).size > BIG;
    let total = 0;
    for (const p of paths) {
      if (p === '-') continue;
      for (const f of walk(p)) if ((total += statSync(f).size) > BIG) return true;
    }
    return false;
  } catch {
    return false; // a missing path is reported where it is read
  }
}

/** threads 0: the scanner on this thread; otherwise the pool (undefined: every core). */
function openBackend(config: KindlyGuardConfig | undefined, threads: number | undefined): Backend {
  if (threads === 0) {
    const scanner = createScanner(config);
    return { scan: async (input) => scanner.scan(input), close: async () => {} };
  }
  const pool = createScanPool({ threads, config, maxQueue: WINDOW * 2 });
  return { scan: (input) => pool.scan(input), close: () => pool.close() };
}

/** Scans in flight at once; output stays in input order. */
const WINDOW = 1024;

function publicThreat(t: Threat): Threat {
  const { type, severity, offset, length, description, path, decoded, rule } = t;
  return { type, severity, offset, length, description, ...(path !== undefined && { path }), ...(decoded && { decoded }), ...(rule && { rule }) };
}

async function scanJsonl(backend: Backend, file: string): Promise<number> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const progress = new Progress('lines');
  let malformed = 0, failed = 0;
  let dirty = false;
  let lineNo = 0;
  // Lines in input order; each is an output line or a scan still running. The oldest is written once it is done.
  const inFlight: Array<Promise<string>> = [];
  const out: string[] = [];
  const flush = () => { if (out.length) { process.stdout.write(out.join('')); out.length = 0; } };
  const drain = async (keep: number) => {
    while (inFlight.length > keep) {
      out.push(await inFlight.shift()!);
      progress.tick();
    }
    if (out.length >= 256 || keep === 0) flush();
  };
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNo++;
      if (!line.trim()) continue;
      let rec: { id?: unknown; text?: unknown };
      try {
        rec = JSON.parse(line);
        if (typeof rec !== 'object' || rec === null || typeof rec.text !== 'string') throw new Error('expected {"id", "text": string}');
      } catch (e) {
        malformed++;
        inFlight.push(Promise.resolve(JSON.stringify({ id: null, line: lineNo, error: `line ${lineNo}: ${(e as Error).message}` }) + '\n'));
        continue;
      }
      const id = rec.id ?? null, at = lineNo;
      inFlight.push(backend.scan(rec.text).then((r) => {
        if (r.threats.some(isDetection)) dirty = true;
        return JSON.stringify({ id, threats: r.threats.map(publicThreat), blocked: r.blocked }) + '\n';
      }, (e: Error) => {
        failed++;
        return JSON.stringify({ id, line: at, error: `line ${at}: ${e.message}` }) + '\n';
      }));
      if (inFlight.length >= WINDOW) await drain(WINDOW / 2);
    }
    await drain(0);
  } catch (e) {
    await drain(0).catch(() => {});
    process.stderr.write(`kindly-guard scan: cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  progress.done();
  if (malformed) process.stderr.write(`kindly-guard scan: ${malformed} malformed line(s)\n`);
  if (failed) process.stderr.write(`kindly-guard scan: ${failed} line(s) could not be scanned\n`);
  return malformed || failed ? 2 : dirty ? 1 : 0;
}

function* walk(path: string): Generator<string> {
  const st = statSync(path);
  if (!st.isDirectory()) { yield path; return; }
  for (const name of readdirSync(path).sort()) {
    if (name === '.git' || name === 'node_modules') continue;
    yield* walk(join(path, name));
  }
}


function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function scanPaths(backend: Backend, paths: string[], format: string): Promise<number> {
  const results: FileResult[] = [];
  const progress = new Progress('files');
  let errors = 0, skipped = 0, dirty = false;
  // Files in order; scans run WINDOW at a time and results keep the order of the walk.
  const inFlight: Array<Promise<FileResult | undefined>> = [];
  const drain = async (keep: number) => {
    while (inFlight.length > keep) {
      const r = await inFlight.shift()!;
      if (r) { results.push(r); progress.tick(); }
    }
  };
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
      const text = decodeUtf8(buf);
      inFlight.push(backend.scan(text ?? new Uint8Array(buf)).then((r) => {
        if (r.threats.some(isDetection)) dirty = true;
        return { path: f === '-' ? '<stdin>' : f, threats: r.threats.map(publicThreat), blocked: r.blocked, lineStarts: lineStarts(text ?? buf.toString('latin1')) };
      }, (e: Error) => {
        process.stderr.write(`kindly-guard scan: ${f}: ${e.message}\n`);
        errors++;
        return undefined;
      }));
      if (inFlight.length >= WINDOW) await drain(WINDOW / 2);
    }
  }
  await drain(0);
  progress.done();
  if (format === 'json') {
    // `blocked` as the configured policy decides (block_threshold), like --jsonl.
    process.stdout.write(JSON.stringify(results.map((r) => ({ path: r.path, threats: r.threats, blocked: r.blocked })), null, 2) + '\n');
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
