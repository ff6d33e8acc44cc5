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

/**
 * Runs a command to its end without blocking the event loop (unlike `spawnSync`, which would hold
 * up the test's own HTTP connections meanwhile): its exit code and output.
 */
export async function runCommand(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Buffer } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin.end(opts.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), SPAWN_BUDGET_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  return { code, out, err };
}
