/**
 * Token signing keys: Ed25519 (EdDSA) from PKCS#8 PEM files, the first one signing and every one verifying, each
 * named by its JWK thumbprint (`kid`), so a key can be rotated in (put first) and out (remove once its tokens
 * expired). Without files an ephemeral key is made at start: tokens then die with the process.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { ConfigError } from '../../engine/errors.js';

export interface SigningKey { kid: string; privateKey: KeyObject; publicKey: KeyObject; publicJwk: JWK }

async function fromPrivate(privateKey: KeyObject): Promise<SigningKey> {
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicKey, publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } };
}

export async function loadSigningKeys(files: string[]): Promise<SigningKey[]> {
  if (!files.length) return [await fromPrivate(generateKeyPairSync('ed25519').privateKey)];
  const keys: SigningKey[] = [];
  for (const file of files) {
    let key: KeyObject;
    try { key = createPrivateKey(readFileSync(file, 'utf8')); } catch (e) {
      throw new ConfigError(`cannot read signing key ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new ConfigError(`signing key ${file} is not an Ed25519 private key (make one with kindly-guard keygen)`);
    keys.push(await fromPrivate(key));
  }
  return keys;
}

/** A new Ed25519 key pair as PEM: PKCS#8 private, SPKI public (kindly-guard keygen). */
export function newKeyPairPem(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, publicPem: publicKey.export({ format: 'pem', type: 'spki' }) as string };
}
