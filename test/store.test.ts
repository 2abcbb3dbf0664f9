/** The threat store: round trips, persistence across processes' handles, retention, the shared block list. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThreatStore } from '../server/store/threat-store.js';
import type { Threat } from '../engine/threats.js';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'kg-store-')), 'threats.db');
const threat = (type: Threat['type'], severity: Threat['severity'], path?: string): Threat =>
  ({ type, severity, offset: 0, length: 1, description: `${type} found`, rule: `${type}.rule`, ...(path && { path }) });

describe('ThreatStore', () => {
  it('records, queries newest first with filters, and keeps per-client activity', () => {
    const s = new ThreatStore({ path: ':memory:', retentionDays: 30, maxEvents: 1000 });
    s.record('a', 'scan', [threat('xss', 'high', 'q')], true);
    s.record('b', 'mcp', [threat('sql_injection', 'medium'), threat('unicode_invisible', 'low')], false);
    s.record('a', 'scan', [], false);
    const all = s.threats({ limit: 10 });
    expect(all.map((t) => t.type)).toEqual(['unicode_invisible', 'sql_injection', 'xss']);
    expect(all[2]).toMatchObject({ client_id: 'a', route: 'scan', severity: 'high', blocked: true, path: 'q', rule: 'xss.rule' });
    expect(s.threats({ severity: 'medium' }).map((t) => t.type)).toEqual(['sql_injection', 'xss']);
    expect(s.threats({ client_id: 'b', limit: 1 }).map((t) => t.type)).toEqual(['unicode_invisible']);
    expect(s.client('a')).toMatchObject({ requests: 2, threats: 1, blocked: 1, by_type: { xss: 1 } });
    expect(s.status()).toMatchObject({ clients: 2, requests: 3, threats: 3, blocked: 1 });
    s.close();
  });

  it('nothing is lost on close; a second handle (another process) reads the same data and block list', () => {
    const path = dbPath();
    const a = new ThreatStore({ path, retentionDays: 30, maxEvents: 1000 });
    a.record('c', 'scan', [threat('path_traversal', 'high')], true);
    a.block('c', 'test');
    a.close(); // flushes the buffered event
    const b = new ThreatStore({ path, retentionDays: 30, maxEvents: 1000 });
    expect(b.threats().map((t) => t.type)).toEqual(['path_traversal']);
    expect(b.isBlocked('c')).toBe(true);
    expect(b.unblock('c')).toBe(true);
    expect(b.isBlocked('c')).toBe(false);
    b.close();
  });

  it('retention: at most max_events are kept, the oldest go first', () => {
    const s = new ThreatStore({ path: ':memory:', retentionDays: 30, maxEvents: 1000 });
    for (let i = 0; i < 1500; i++) s.record('d', 'scan', [threat('xss', 'medium', `n${i}`)], false);
    s.flush();
    const kept = s.threats({ limit: 5000 });
    expect(kept).toHaveLength(1000);
    expect(kept[0]!.path).toBe('n1499');
    expect(kept.at(-1)!.path).toBe('n500');
    s.close();
  });
});

describe('what the store keeps', () => {
  it('token-like JSON keys in paths are kept as their length only', () => {
    const s = new ThreatStore({ path: ':memory:', retentionDays: 30, maxEvents: 1000 });
    s.record('e', 'scan', [threat('secret_exposure', 'high', 'value.eyJhbGciOiJFZERTQSJ9abc123.AKIAZ7QRTLWM4XB2KD9P'), threat('xss', 'high', 'value.comment')], true);
    const paths = s.threats().map((t) => t.path);
    expect(paths).toContain('value.comment');
    expect(paths.join(' ')).not.toMatch(/eyJhbGci|AKIAZ7QR/);
    expect(paths.join(' ')).toContain('<redacted');
    s.close();
  });
});
