// The floor for `npm run load`: a bare uWebSockets.js endpoint that reads a POST body and answers a fixed JSON,
// no scanning, no metrics. Prints {"port": N} on stdout once listening.
import uws from 'uWebSockets.js';

const answer = JSON.stringify({ threats: [], blocked: false, bytes: 0 });
uws.App().post('/v1/scan', (res) => {
  let aborted = false;
  res.onAborted(() => { aborted = true; });
  res.onData((_chunk, isLast) => {
    if (isLast && !aborted) res.cork(() => res.writeHeader('content-type', 'application/json').end(answer));
  });
}).listen('127.0.0.1', 0, (socket) => {
  if (!socket) process.exit(1);
  process.stdout.write(JSON.stringify({ port: uws.us_socket_local_port(socket) }) + '\n');
});
