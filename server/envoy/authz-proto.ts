/**
 * The part of Envoy's ext_authz v3 API (envoy.service.auth.v3.Authorization/Check) this gateway reads and writes,
 * written from the published .proto files: same packages, message names and field numbers, so it is the same on the
 * wire; fields left out are skipped by the decoder. (Envoy's full API imports validate/udpa annotations and most of
 * its config tree, which no registry package ships.)
 */
import protobuf from 'protobufjs';
import { fromJSON } from '@grpc/proto-loader';
import { loadPackageDefinition, type GrpcObject, type ServiceDefinition } from '@grpc/grpc-js';

const PROTO = `
syntax = "proto3";
package google.rpc;
message Status { int32 code = 1; string message = 2; }

package envoy.type.v3;
message HttpStatus { int32 code = 1; }

package envoy.config.core.v3;
message HeaderValue { string key = 1; string value = 2; bytes raw_value = 3; }
message HeaderValueOption { HeaderValue header = 1; }
message HeaderMap { repeated HeaderValue headers = 1; }
message SocketAddress { string address = 2; }
message Address { SocketAddress socket_address = 1; }

package envoy.service.auth.v3;
message AttributeContext {
  message HttpRequest {
    string id = 1;
    string method = 2;
    map<string, string> headers = 3;
    string path = 4;
    string host = 5;
    int64 size = 9;
    string body = 11;
    bytes raw_body = 12;
    envoy.config.core.v3.HeaderMap header_map = 13;
  }
  message Peer { envoy.config.core.v3.Address address = 1; }
  message Request { HttpRequest http = 2; }
  Peer source = 1;
  Request request = 4;
}
message CheckRequest { AttributeContext attributes = 1; }
message DeniedHttpResponse { envoy.type.v3.HttpStatus status = 1; repeated envoy.config.core.v3.HeaderValueOption headers = 2; string body = 3; }
message OkHttpResponse { repeated envoy.config.core.v3.HeaderValueOption headers = 2; }
message CheckResponse {
  google.rpc.Status status = 1;
  oneof http_response { DeniedHttpResponse denied_response = 2; OkHttpResponse ok_response = 3; }
}
service Authorization { rpc Check(CheckRequest) returns (CheckResponse); }
`;

/** The Authorization service definition, for @grpc/grpc-js. */
export function authorizationService(): ServiceDefinition {
  // One file may declare one package: each block is parsed into the same root.
  const root = new protobuf.Root();
  for (const part of PROTO.split(/\n(?=package )/).filter((p) => p.includes('package '))) {
    protobuf.parse(`syntax = "proto3";\n${part.replace('syntax = "proto3";', '')}`, root, { keepCase: true });
  }
  const pkg = loadPackageDefinition(fromJSON(root.toJSON(), { keepCase: true, longs: Number, defaults: true, oneofs: true }));
  const auth = ((pkg.envoy as GrpcObject).service as GrpcObject).auth as GrpcObject;
  return ((auth.v3 as GrpcObject).Authorization as unknown as { service: ServiceDefinition }).service;
}
