/**
 * Envoy's gRPC ext_authz service (envoy.service.auth.v3.Authorization/Check, @grpc/grpc-js) on
 * `ext_authz.grpc_port`: the same decision as the HTTP service (check.ts). The decision writes its answer to a
 * recorded response, which becomes the CheckResponse: OK with the x-kindly-guard-* headers for the upstream, or a
 * denial carrying the HTTP status, headers and JSON body Envoy sends to the client.
 */
import { readFileSync } from 'node:fs';
import { Server, ServerCredentials, status as grpcStatus, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import type { HttpResponse } from 'uWebSockets.js';
import type { GatewayContext } from '../context.js';
import { check } from './check.js';
import { authorizationService } from './authz-proto.js';

interface HttpAttributes { method: string; path: string; headers: Record<string, string>; header_map: { headers: Array<{ key: string; value: string; raw_value: Buffer }> } | null;
  body: string; raw_body: Buffer }
interface CheckRequest { attributes?: { source?: { address?: { socket_address?: { address?: string } } }; request?: { http?: HttpAttributes } } }

/** A response that is written down instead of sent: what check() answers, for the CheckResponse. */
class RecordedResponse {
  status = 0;
  headers: Array<[string, string]> = [];
  body = '';
  aborted?: () => void;
  constructor(private readonly peer: string, private readonly done: () => void) {}
  onAborted(f: () => void) { this.aborted = f; return this; }
  getRemoteAddressAsText() { return Buffer.from(this.peer); }
  cork(f: () => void) { f(); return this; }
  writeStatus(s: string) { this.status = parseInt(s, 10); return this; }
  writeHeader(k: string, v: string) { this.headers.push([k, v]); return this; }
  end(body?: string | Uint8Array) { this.body = typeof body === 'string' ? body : Buffer.from(body ?? []).toString('utf8'); this.done(); return this; }
}

const GRPC_CODE: Record<number, number> = {
  400: grpcStatus.INVALID_ARGUMENT, 401: grpcStatus.UNAUTHENTICATED, 403: grpcStatus.PERMISSION_DENIED, 408: grpcStatus.DEADLINE_EXCEEDED,
  413: grpcStatus.INVALID_ARGUMENT, 415: grpcStatus.INVALID_ARGUMENT, 429: grpcStatus.RESOURCE_EXHAUSTED, 503: grpcStatus.UNAVAILABLE,
};

const headerOptions = (pairs: Array<[string, string]>) => pairs.map(([key, value]) => ({ header: { key, value } }));

export async function startGrpcAuthz(ctx: GatewayContext): Promise<{ port: number; close(): Promise<void> } | undefined> {
  const cfg = ctx.config.ext_authz;
  if (!cfg.enabled || !cfg.grpc_port) return undefined;
  const limit = ctx.config.server.max_body_bytes;
  const server = new Server({ 'grpc.max_receive_message_length': limit + 64 * 1024 });
  server.addService(authorizationService(), {
    Check(call: ServerUnaryCall<CheckRequest, unknown>, reply: sendUnaryData<unknown>) {
      const http = call.request.attributes?.request?.http;
      const rec = new RecordedResponse(call.getPeer().replace(/^ipv[46]:|:\d+$/g, '').replace(/^\[|\]$/g, ''), () => {
        if (rec.status === 200) {
          reply(null, { status: { code: grpcStatus.OK }, ok_response: { headers: headerOptions(rec.headers.filter(([k]) => k.startsWith('x-kindly-guard-'))) } });
        } else {
          reply(null, { status: { code: GRPC_CODE[rec.status] ?? grpcStatus.PERMISSION_DENIED, message: rec.body.slice(0, 500) },
            denied_response: { status: { code: rec.status }, headers: headerOptions(rec.headers), body: rec.body } });
        }
      });
      call.on('cancelled', () => rec.aborted?.());
      const x = ctx.begin(rec as unknown as HttpResponse, 'ext_authz_grpc');
      if (!x) return; // draining: the 503 is already recorded
      if (!http) { rec.writeStatus('400').end('{"error":{"code":"KG_ERR_BAD_REQUEST","message":"CheckRequest without attributes.request.http"}}'); return; }
      // Headers: Envoy's map (lower-case keys), or the raw list with encode_raw_headers.
      const headers = new Map(Object.entries(http.headers ?? {}));
      for (const h of http.header_map?.headers ?? []) headers.set(h.key.toLowerCase(), h.value || h.raw_value.toString('utf8'));
      const header = (k: string) => headers.get(k) ?? '';
      const body = http.raw_body?.length ? new Uint8Array(http.raw_body) : Buffer.from(http.body ?? '', 'utf8');
      if (body.length > limit) { rec.writeStatus('413').end(`{"error":{"code":"KG_ERR_TOO_LARGE","message":"request body exceeds ${limit} bytes"}}`); return; }
      const q = http.path.indexOf('?');
      void check(ctx, x, {
        method: http.method.toUpperCase(), path: q < 0 ? http.path : http.path.slice(0, q), query: q < 0 ? '' : http.path.slice(q + 1),
        authorization: header('authorization'), contentType: header('content-type'), contentEncoding: header('content-encoding'),
        address: call.request.attributes?.source?.address?.socket_address?.address || undefined,
        signed: { input: header('signature-input'), signature: header('signature'), digest: header('content-digest') },
        partial: header('x-envoy-auth-partial-body') === 'true', body,
      });
    },
  });
  const tls = ctx.config.server.tls;
  const creds = tls
    ? ServerCredentials.createSsl(null, [{ cert_chain: readFileSync(tls.cert_file), private_key: readFileSync(tls.key_file) }], false)
    : ServerCredentials.createInsecure();
  const host = ctx.config.server.host.includes(':') ? `[${ctx.config.server.host}]` : ctx.config.server.host;
  const port = await new Promise<number>((resolve, reject) => server.bindAsync(`${host}:${cfg.grpc_port}`, creds, (e, p) => (e ? reject(e) : resolve(p))));
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      const force = setTimeout(() => { server.forceShutdown(); resolve(); }, 2000);
      server.tryShutdown(() => { clearTimeout(force); resolve(); });
    }),
  };
}
