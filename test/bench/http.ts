/**
 * HTTP baseline: requests/s and p99 for `GET /healthz` and for an API-token-authenticated
 * `GET /api/v1/auth/me` (token lookup + agent read), with 50 concurrent connections, on PGlite and,
 * when TEST_DATABASE_URL is set, on PostgreSQL; server and load in one process. Also the cost of one
 * login (scrypt), which bounds how fast passwords can be guessed.
 */
import { Client, startTestServer, ADMIN_PASSWORD } from '../support/server';
import type { DatabaseKind } from '../../server/db/index';
import { closedLoop, print } from './_server';

const CONCURRENCY = 50;
const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 3) * 1000;

const kinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
for (const kind of kinds) {
  const srv = await startTestServer(kind, { validateResponses: false });
  const c = new Client(srv.url);
  const t = performance.now();
  await c.login('admin', ADMIN_PASSWORD);
  print(`auth.${kind}.login`, performance.now() - t, 'ms');
  const { body } = await c.post('/api/v1/auth/tokens', { name: 'bench' });

  const health = await closedLoop(CONCURRENCY, DURATION_MS, () => fetch(`${srv.url}/healthz`));
  print(`http.${kind}.healthz`, health.rps, 'requests/s');
  print(`http.${kind}.healthz.p99`, health.p99, 'ms');
  const headers = { authorization: `Bearer ${body.token}` };
  const me = await closedLoop(CONCURRENCY, DURATION_MS, () => fetch(`${srv.url}/api/v1/auth/me`, { headers }));
  print(`http.${kind}.auth_me`, me.rps, 'requests/s');
  print(`http.${kind}.auth_me.p99`, me.p99, 'ms');
  await srv.close();
}
