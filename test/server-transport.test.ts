/** TLS and unix socket listeners. The certificate is made with openssl (Debian's), as an operator would. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startGateway, type Gateway } from '../server/gateway.js';
import { resolveGatewayConfig } from '../server/config.js';
import { NO_AUTH, NO_LIMIT } from './helpers.js';

let dir: string;
let cert: string, key: string;
const cleanup: Gateway[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-tls-'));
  cert = join(dir, 'cert.pem');
  key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
});
afterAll(async () => { for (const g of cleanup) await g.close(1000); });

async function start(server: Record<string, unknown>): Promise<Gateway> {
  const g = await startGateway(resolveGatewayConfig({ auth: NO_AUTH, rate_limit: NO_LIMIT, server: { port: 0, metrics: false, threads: 1, ...server } }),
    { log: pino({ level: 'silent' }) });
  cleanup.push(g);
  return g;
}

function get(o: { port?: number; socketPath?: string; tls?: boolean; path: string }): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = (o.tls ? httpsRequest : httpRequest)({ host: '127.0.0.1', port: o.port, socketPath: o.socketPath, path: o.path, ca: readFileSync(cert) }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => ok({ status: res.statusCode!, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('TLS', () => {
  it('serves HTTPS with the configured certificate; TLS below 1.2 is refused; the cipher list applies to TLS 1.2', async () => {
    const g = await start({ tls: { cert_file: cert, key_file: key, ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' } });
    expect(await get({ port: g.port, tls: true, path: '/health' })).toEqual({ status: 200, body: '{"status":"ok"}' });
    const handshake = (o: object) => new Promise<string>((ok) => {
      const s = tlsConnect({ host: '127.0.0.1', port: g.port, ca: readFileSync(cert), ...o }, () => { ok(`${s.getProtocol()} ${s.getCipher().name}`); s.destroy(); });
      s.on('error', (e: NodeJS.ErrnoException) => ok(`error ${e.code}`));
    });
    expect(await handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1' })).toMatch(/^error/);
    expect(await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toBe('TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384');
    expect(await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' })).toMatch(/^error/);
    expect(await handshake({ minVersion: 'TLSv1.3' })).toMatch(/^TLSv1\.3/);
  });

  it('clear errors: unreadable files, TLS 1.3-only', async () => {
    await expect(start({ tls: { cert_file: join(dir, 'missing.pem'), key_file: key } })).rejects.toThrow(/cannot read .*missing\.pem/);
    expect(() => resolveGatewayConfig({ server: { tls: { cert_file: cert, key_file: key, min_version: 'TLSv1.3' } } })).toThrow(/TLSv1.3 only is not supported/);
  });
});

describe('unix socket', () => {
  it('answers on the socket, which gets the configured mode', async () => {
    const path = join(dir, 'kg.sock');
    await start({ unix_socket: { path, mode: '0600' } });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await get({ socketPath: path, path: '/health' })).toEqual({ status: 200, body: '{"status":"ok"}' });
  });
});
