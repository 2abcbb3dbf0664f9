/**
 * OAuth clients from config, authenticated by bcrypt (the native `bcrypt` package: compare runs on libuv's thread
 * pool, never on the event loop, and takes the same time whatever the guess). An unknown client id costs the same
 * as a wrong secret, so a response time does not tell which client ids exist.
 */
import bcrypt from 'bcrypt';
import type { ClientConfig } from './config.js';

export class ClientRegistry {
  private readonly byId: Map<string, ClientConfig>;
  private dummy: Promise<string> | undefined;

  constructor(clients: ClientConfig[]) {
    this.byId = new Map(clients.map((c) => [c.client_id, c]));
  }

  get(id: string): ClientConfig | undefined { return this.byId.get(id); }

  /** The client when the secret matches its hash; undefined otherwise (same cost either way). */
  async authenticate(id: string, secret: string): Promise<ClientConfig | undefined> {
    const client = this.byId.get(id);
    if (!client) {
      // Same work factor as the configured hashes, so unknown ids are not faster.
      const cost = Math.max(10, ...[...this.byId.values()].filter((c) => c.client_secret_hash).map((c) => Number(c.client_secret_hash!.slice(4, 6))));
      this.dummy ??= bcrypt.hash('kindly-guard: no such client', cost);
      await bcrypt.compare(secret, await this.dummy);
      return undefined;
    }
    // A public client has no secret: it never authenticates with one (it proves itself with PKCE instead).
    if (!client.client_secret_hash) { await bcrypt.compare(secret, await (this.dummy ??= bcrypt.hash('kindly-guard: public client', 10))); return undefined; }
    return (await bcrypt.compare(secret, client.client_secret_hash)) ? client : undefined;
  }
}
