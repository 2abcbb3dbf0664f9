/** The update check: reports a newer release (log event, webhook), stays quiet otherwise, never downloads. */
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { newer, startUpdateCheck } from '../server/update-check.js';
import { parseDuration } from '../server/duration.js';

async function registry(version: string) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { hits.push(`${req.method} ${req.url} ${body}`); res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ name: 'kindly-guard', version })); });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, hits, close: () => server.close() };
}

async function run(version: string) {
  const reg = await registry(version);
  let logged = '';
  const log = pino({ level: 'info' }, new Writable({ write(c, _e, done) { logged += c; done(); } }));
  const saved = process.env.KINDLY_GUARD_NO_UPDATE_CHECK;
  delete process.env.KINDLY_GUARD_NO_UPDATE_CHECK;
  const checker = startUpdateCheck({ check_enabled: true, check_interval: '24h', notify_webhook: `${reg.url}/hook` }, '0.1.0', log, `${reg.url}/kindly-guard/latest`, 0);
  process.env.KINDLY_GUARD_NO_UPDATE_CHECK = saved;
  await new Promise((r) => setTimeout(r, 300));
  checker.stop();
  reg.close();
  return { logged, hits: reg.hits };
}

describe('update check', () => {
  it('a newer release: an update_available event and a webhook post, and only GETs of metadata otherwise', async () => {
    const { logged, hits } = await run('0.2.0');
    expect(logged).toContain('"event":"update_available"');
    expect(hits[0]).toMatch(/^GET \/kindly-guard\/latest/);
    expect(hits[1]).toMatch(/^POST \/hook .*"latest":"0.2.0"/);
    expect(hits).toHaveLength(2);
  });

  it('the same or an older release: nothing', async () => {
    const { logged, hits } = await run('0.1.0');
    expect(logged).not.toContain('update_available');
    expect(hits).toHaveLength(1);
  });

  it('off by config or by KINDLY_GUARD_NO_UPDATE_CHECK: the registry is never asked', async () => {
    const reg = await registry('9.0.0');
    const log = pino({ level: 'silent' });
    const off = startUpdateCheck({ check_enabled: false, check_interval: '24h' }, '0.1.0', log, `${reg.url}/x`, 0);
    expect(process.env.KINDLY_GUARD_NO_UPDATE_CHECK).toBe('1'); // the suite runs with it set
    const env = startUpdateCheck({ check_enabled: true, check_interval: '24h' }, '0.1.0', log, `${reg.url}/x`, 0);
    await new Promise((r) => setTimeout(r, 200));
    off.stop(); env.stop(); reg.close();
    expect(reg.hits).toEqual([]);
    expect(newer('1.10.0', '1.9.9')).toBe(true);
    expect(newer('1.0.0', '1.0.0')).toBe(false);
    expect(parseDuration('24h')).toBe(86_400_000);
  });
});
