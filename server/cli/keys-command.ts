/** `kindly-guard keygen` (an Ed25519 key pair for token signing) and `kindly-guard hash-secret` (bcrypt a client secret). */
import { parseArgs } from 'node:util';
import { writeFileSync, existsSync } from 'node:fs';
import bcrypt from 'bcrypt';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { newKeyPairPem } from '../auth/keys.js';

export const KEYGEN_HELP = `Usage: kindly-guard keygen --out FILE [--force]

Writes a new Ed25519 private key (PKCS#8 PEM, mode 0600) to FILE for auth.signing_key_files, and prints its public
key (SPKI PEM) and key id (kid, the JWK thumbprint) on stdout. Refuses to overwrite FILE without --force.
`;

export const HASH_SECRET_HELP = `Usage: kindly-guard hash-secret [--cost N] < secret

Reads a client secret from standard input (the first line; nothing is echoed) and prints its bcrypt hash for
auth.allowed_clients[].client_secret_hash. --cost is bcrypt's work factor (default 12, 10 to 15).
`;

export async function runKeygen(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, config: { type: 'string' } } });
  if (values.help) { process.stdout.write(KEYGEN_HELP); return 0; }
  if (!values.out) { process.stderr.write(`kindly-guard keygen: --out FILE is required\n\n${KEYGEN_HELP}`); return 2; }
  if (existsSync(values.out) && !values.force) { process.stderr.write(`kindly-guard keygen: ${values.out} exists (use --force to replace it)\n`); return 2; }
  const { privatePem, publicPem } = newKeyPairPem();
  writeFileSync(values.out, privatePem, { mode: 0o600 });
  const kid = await calculateJwkThumbprint(createPublicKey(createPrivateKey(privatePem)).export({ format: 'jwk' }) as JWK);
  process.stdout.write(`${publicPem}kid: ${kid}\n`);
  return 0;
}

export async function runHashSecret(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { cost: { type: 'string' }, help: { type: 'boolean', short: 'h' }, config: { type: 'string' } } });
  if (values.help) { process.stdout.write(HASH_SECRET_HELP); return 0; }
  const cost = Number(values.cost ?? 12);
  if (!Number.isInteger(cost) || cost < 10 || cost > 15) { process.stderr.write('kindly-guard hash-secret: --cost must be 10 to 15\n'); return 2; }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const secret = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (secret.length < 16) { process.stderr.write('kindly-guard hash-secret: the secret must be at least 16 characters\n'); return 2; }
  // bcrypt reads 72 bytes: anything after them would not count, so two secrets sharing a prefix would both pass.
  if (Buffer.byteLength(secret) > 72) { process.stderr.write('kindly-guard hash-secret: the secret must be at most 72 bytes (bcrypt ignores the rest)\n'); return 2; }
  process.stdout.write(`${await bcrypt.hash(secret, cost)}\n`);
  return 0;
}
