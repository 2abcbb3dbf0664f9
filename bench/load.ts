/**
 * npm run load [-- --seconds S] [-- --connections C]: drives `kindly-guard serve` (started here, on 127.0.0.1,
 * ephemeral ports) with POST /v1/scan 1 KiB bodies and a bearer token, next to the same server with auth off and a
 * bare uWebSockets.js endpoint started in the same run. Prints req/s, p50/p99 latency and errors (max load), the
 * gateway's p99 at half its max rate, what the auth path costs, and the gateway's RSS over the run. npm run soak -- --minutes N runs half load for N minutes and samples RSS.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { BARE, CLI, drive as driveWith, rssMiB, start, type LoadRow } from './load-tools.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
if (args.includes('--help')) {
  console.log('usage: npm run load -- [--seconds S (default 10)] [--connections C (default 32)] [--json]\n' +
    '       npm run load -- --instances N [--seconds S] [--connections C]   (one vs N processes on shared Redis state)\n       npm run soak -- --minutes N');
  process.exit(0);
}
if (args.includes('--instances')) {
  // One vs N processes on shared Redis state: its own run (bench/load-instances.ts).
  await import('./load-instances.js');
  process.exit(0);
}
const soakMinutes = args.includes('--soak') ? arg('--minutes', 5) : 0;
const seconds = arg('--seconds', 10);
const connections = arg('--connections', 32);
const json = args.includes('--json');
const say = (s: string) => { if (!json) process.stderr.write(`${s}\n`); };
const drive = (target: string, port: number, duration: number, overallRate?: number, authorization?: string) =>
  driveWith(target, port, duration, connections, overallRate, authorization);

// Two gateways: auth on (a client, a token from /oauth/token, the bearer header on every request) and auth off, so the
// run also reports what the auth path costs.
const dir = mkdtempSync(join(tmpdir(), 'kg-load-'));
const secret = randomBytes(24).toString('base64url');
const withAuth = join(dir, 'auth.yaml'), noAuth = join(dir, 'noauth.yaml');
// The client's rate limit is raised out of the way, but the limiter still runs on every request (its cost counts).
writeFileSync(withAuth, `auth:\n  allowed_clients:\n    - { client_id: load, client_secret_hash: '${await bcrypt.hash(secret, 10)}', allowed_scopes: [scan] }\n` +
  'rate_limit:\n  clients:\n    load: { rpm: 10000000, burst: 1000000 }\n');
writeFileSync(noAuth, 'auth:\n  enabled: false\nrate_limit:\n  enabled: false\n');
const gateway = await start([CLI, 'serve', '--config', withAuth, '--port', '0', '--metrics-port', '0'], true);
const open = await start([CLI, 'serve', '--config', noAuth, '--port', '0', '--metrics-port', '0'], true);
const bare = await start([BARE], false);
const pid = gateway.child.pid!;
const tokenResponse = await fetch(`http://127.0.0.1:${gateway.port}/oauth/token`, { method: 'POST', body: 'grant_type=client_credentials',
  headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`load:${secret}`).toString('base64')}` } });
const bearer = `Bearer ${((await tokenResponse.json()) as { access_token: string }).access_token}`;
try {
  if (soakMinutes) {
    say(`soak: ${soakMinutes} min at half load`);
    const max = await drive('kindly-guard', gateway.port, 5, undefined, bearer);
    const samples: number[] = [rssMiB(pid)];
    const rows: LoadRow[] = [];
    for (let m = 0; m < soakMinutes; m++) {
      rows.push(await drive('kindly-guard', gateway.port, 60, Math.round(max.reqPerS / 2), bearer));
      samples.push(rssMiB(pid));
      say(`  minute ${m + 1}: ${rows.at(-1)!.reqPerS} req/s p99 ${rows.at(-1)!.p99ms} ms RSS ${samples.at(-1)} MiB`);
    }
    console.log(JSON.stringify({ soakMinutes, rssMiB: samples, errors: rows.reduce((n, r) => n + r.errors + r.non2xx, 0) }));
  } else {
    const rssBefore = rssMiB(pid);
    say(`bare uWebSockets.js, ${seconds} s, ${connections} connections...`);
    const bareRow = await drive('bare uWebSockets.js', bare.port, seconds);
    say('kindly-guard without auth, max load...');
    const unauth = await drive('kindly-guard, auth off', open.port, seconds);
    say('kindly-guard max load...');
    const ours = await drive('kindly-guard', gateway.port, seconds, undefined, bearer);
    say('kindly-guard at half of its max...');
    const half = await drive('kindly-guard', gateway.port, seconds, Math.max(1, Math.round(ours.reqPerS / 2)), bearer);
    const rssAfter = rssMiB(pid);
    const report = { connections, seconds, rows: [bareRow, unauth, ours, half], ratio: +(ours.reqPerS / bareRow.reqPerS).toFixed(3),
      authCost: +(1 - ours.reqPerS / unauth.reqPerS).toFixed(3), rssMiB: { before: rssBefore, after: rssAfter } };
    if (json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`\nPOST /v1/scan, 1 KiB English bodies, ${connections} connections, ${seconds} s per row (autocannon on the same machine)`);
      console.log('target                 rate        req/s   p50 ms   p99 ms   errors  non-2xx');
      for (const r of report.rows) console.log(`${r.target.padEnd(22)} ${r.rate.padEnd(9)} ${String(r.reqPerS).padStart(8)} ${String(r.p50ms).padStart(8)} ${String(r.p99ms).padStart(8)} ${String(r.errors).padStart(8)} ${String(r.non2xx).padStart(8)}`);
      console.log(`\nauth path cost: ${(report.authCost * 100).toFixed(1)}% of throughput (target <= 20% ${report.authCost <= 0.2 ? 'met' : 'MISSED'})`);
      console.log(`kindly-guard (auth on) / bare: ${report.ratio}x (target >= 0.5 ${report.ratio >= 0.5 ? 'met' : 'MISSED'});` +
        ` p99 at half load ${half.p99ms} ms (target < 1 ms ${half.p99ms < 1 ? 'met' : 'MISSED'});` +
        ` errors ${ours.errors + half.errors + ours.non2xx + half.non2xx} (target 0); gateway RSS ${rssBefore} -> ${rssAfter} MiB`);
    }
  }
} finally {
  gateway.child.kill('SIGTERM');
  open.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');
}
