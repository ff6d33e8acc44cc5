/**
 * HTTP baseline: requests/s and p99 for `GET /healthz` and for an API-token-authenticated
 * `GET /api/v1/auth/me` (token lookup + agent read), with 50 concurrent connections, on PGlite and,
 * when TEST_DATABASE_URL (or BENCH_DATABASE_URL) is set, on PostgreSQL. Also the cost of one login
 * (scrypt), which bounds how fast passwords can be guessed.
 */
import { Client, startTestServer } from '../support/server';
import type { DatabaseKind } from '../../server/db/index';

const CONCURRENCY = 50;
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 3) * 1000;

async function load(url: string, headers: Record<string, string>) {
  const latencies: number[] = [];
  const end = performance.now() + DURATION_MS;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
      latencies.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const secs = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / secs, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

function print(name: string, value: number, unit: string) {
  console.log(`BENCH ${name} ${Math.round(value * 10) / 10} ${unit}`);
}

const kinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
for (const kind of kinds) {
  const srv = await startTestServer(kind);
  const c = new Client(srv.url);
  const t = performance.now();
  await c.login('admin', 'admin-test-password');
  print(`auth.${kind}.login`, performance.now() - t, 'ms');
  const { body } = await c.post('/api/v1/auth/tokens', { name: 'bench' });

  const health = await load(`${srv.url}/healthz`, {});
  print(`http.${kind}.healthz`, health.rps, 'requests/s');
  print(`http.${kind}.healthz.p99`, health.p99, 'ms');
  const me = await load(`${srv.url}/api/v1/auth/me`, { authorization: `Bearer ${body.token}` });
  print(`http.${kind}.auth_me`, me.rps, 'requests/s');
  print(`http.${kind}.auth_me.p99`, me.p99, 'ms');
  await srv.close();
}
