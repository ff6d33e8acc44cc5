// The API benchmarks' load generator, run as its own process so it never shares an event loop (or a
// core's time slice accounting) with the server it measures. A closed loop: `concurrency` keep-alive
// connections, each sending the next request as soon as the previous answer is read, for `ms`.
// Input: one JSON argument {url, method, headers, body, concurrency, ms}; `{{n}}` in the body is the
// request's sequence number. Output: one JSON line {requests, errors, rps, p50, p95, p99, firstError}.
import http from 'node:http';

const o = JSON.parse(process.argv[2]);
const target = new URL(o.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
const latencies = [];
let errors = 0;
let n = 0;
let firstError;

function once(i) {
  const body = o.body === undefined ? undefined : o.body.replaceAll('{{n}}', String(i));
  return new Promise((resolve) => {
    const req = http.request(
      { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: o.method ?? 'GET', headers: { ...(o.headers ?? {}), ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) } },
      (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode, text: res.statusCode >= 400 ? Buffer.concat(chunks).toString() : '' }));
      },
    );
    req.on('error', (e) => resolve({ status: 0, text: String(e) }));
    if (body) req.write(body);
    req.end();
  });
}

const end = performance.now() + o.ms;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: o.concurrency }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const r = await once(n++);
      if (r.status >= 200 && r.status < 400) latencies.push(performance.now() - t);
      else {
        errors++;
        firstError ??= `${r.status} ${r.text.slice(0, 300)}`;
      }
    }
  }),
);
const secs = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] : NaN);
agent.destroy();
process.stdout.write(JSON.stringify({ requests: latencies.length, errors, rps: latencies.length / secs, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), firstError }) + '\n');
