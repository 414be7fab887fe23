// GET /health every INTERVAL ms, from its own process so that the test process's work
// (building inputs, reading answers) does not delay the probes. Requests are sent on a fixed
// clock, not one after another: a server stalled for 500 ms then shows as ~25 slow answers,
// as many as the clients it would have kept waiting. "stop" on stdin ends it; the probes are
// written to stdout as one JSON array of [sent at (epoch ms), latency (ms, -1: failed), why it failed].
'use strict';
const http = require('node:http');

const [url, interval = '20'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const latencies = [];
let inFlight = 0;

function probe() {
  const sentAt = Date.now();
  const start = process.hrtime.bigint();
  inFlight++;
  const done = (failure) => {
    inFlight--;
    latencies.push(failure ? [sentAt, -1, failure] : [sentAt, Number(process.hrtime.bigint() - start) / 1e6]);
  };
  const send = (retried) => {
    const req = http.get(`${url}/health`, { agent }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200 ? null : `status ${res.statusCode}`));
      res.on('error', (e) => done(e.message));
    });
    req.on('error', (e) => {
      // A kept-alive socket the server closed as idle (its keepAliveTimeout) just as this
      // request went out on it: Node's documented race, answered by sending once more on a
      // fresh socket (the latency still counts from the first send). A server that is down
      // or resets fresh connections fails the second send too.
      if (!retried && req.reusedSocket && e.code === 'ECONNRESET') send(true);
      else done(e.message);
    });
  };
  send(false);
}

const timer = setInterval(probe, Number(interval));
let input = '';
process.stdin.on('data', (d) => {
  input += d;
  if (!input.includes('stop')) return;
  clearInterval(timer);
  const until = Date.now() + 5000;
  const finish = () => {
    if (inFlight > 0 && Date.now() < until) return setTimeout(finish, 20);
    process.stdout.write(JSON.stringify(latencies), () => process.exit(0));
  };
  finish();
});
