/**
 * What tests that start real processes share: a free loopback port, and one time budget that fits a
 * cold start (tsx compiling TypeScript, PGlite opening, migrations) on a busy two-core machine.
 * Budgets only bound how long a test waits for something; no test asserts how fast it came.
 */
import net from 'node:net';

/** How long a spawned process may take to start or finish one command (`SPAWN_BUDGET_MS`, default 3 min). */
export const SPAWN_BUDGET_MS = Number(process.env.SPAWN_BUDGET_MS) > 0 ? Number(process.env.SPAWN_BUDGET_MS) : 180_000;

/** The budget of a test (`it`) that starts up to `starts` processes in sequence. */
export const spawnTestTimeout = (starts: number) => SPAWN_BUDGET_MS * starts;

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
