/** SARIF 2.1.0 output (OASIS), so CI code scanning can show findings inline. */
import { THREAT_TYPES, type Threat } from '../../engine/threats.js';

export interface FileResult { path: string; threats: Threat[]; blocked: boolean; lineStarts: number[] }

const LEVEL: Record<string, string> = { low: 'note', medium: 'warning', high: 'error', critical: 'error' };

/** Line starts (UTF-16 offsets) for mapping offsets to 1-based line/column. */
export function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) out.push(i + 1);
  return out;
}

export function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid; else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

export function toSarif(files: FileResult[], version: string): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'kindly-guard',
          version,
          informationUri: 'https://github.com/kindlyguard/kindly-guard',
          rules: THREAT_TYPES.map((id) => ({ id, name: id, shortDescription: { text: id.replace(/_/g, ' ') } })),
        },
      },
      results: files.flatMap((f) => f.threats.map((t) => {
        const start = position(f.lineStarts, t.offset);
        const end = position(f.lineStarts, t.offset + t.length);
        return {
          ruleId: t.type,
          level: LEVEL[t.severity],
          message: { text: `${t.description}${t.decoded ? ` (decoded: ${t.decoded})` : ''}` },
          properties: { severity: t.severity, rule: t.rule },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri: f.path.split('\\').join('/') },
              region: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column,
                charOffset: t.offset, charLength: t.length },
            },
          }],
        };
      })),
    }],
  };
}
