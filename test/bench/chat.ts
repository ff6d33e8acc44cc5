/**
 * Chat at scale on one server process (PostgreSQL at BENCH_DATABASE_URL / TEST_DATABASE_URL, a
 * fresh schema): CHAT_BENCH_CONNECTIONS (default 1,000) public visitors each start a chat and keep
 * its live stream open (`/chat/public/chats/{id}/events`, Server-Sent Events); the agent accepts
 * CHAT_BENCH_ACTIVE of them and writes CHAT_BENCH_MESSAGES messages across them, while every stream
 * stays open. Measured: the time from sending a message to its arrival on the visitor's stream
 * (fan-out through NOTIFY and the hub, which looks at every open stream), and the server's resident
 * memory per idle open stream (RSS after opening them minus before, divided by their number).
 *
 *   BENCH chat_open_streams 1000 connections
 *   BENCH chat_fanout_p50 … ms
 *   BENCH chat_fanout_p95 … ms
 *   BENCH chat_memory_per_idle_connection … KiB
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { percentile, postgresReachable, print, schemaUrl, startServerProcess, withClient } from './_server';

const N = Number(process.env.CHAT_BENCH_CONNECTIONS ?? 1000);
const ACTIVE = Number(process.env.CHAT_BENCH_ACTIVE ?? 50);
const MESSAGES = Number(process.env.CHAT_BENCH_MESSAGES ?? 300);

if (!(await postgresReachable())) {
  console.log('# chat bench: PostgreSQL not reachable; skipped');
  process.exit(0);
}

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

const schema = `bench_chat_${randomBytes(3).toString('hex')}`;
await withClient((c) => c.query(`create schema ${schema}`));
const server = await startServerProcess({ DATABASE_URL: schemaUrl(schema), ADMIN_PASSWORD: 'bench-admin-pw', CHAT_STARTS_PER_ADDRESS: '0', CHAT_MESSAGES_PER_10S: '0' });
const streams: http.ClientRequest[] = [];
try {
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: 'bench-admin-pw' }) });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  const asAgent = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api/v1${path}`, { method, headers: { cookie, 'x-csrf-token': csrf, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  await asAgent('PUT', '/chat/availability', { availability: 'external' });

  // N visitors start their chats (in batches, so the start is not the thing measured).
  const chats: Array<{ id: number; token: string }> = [];
  for (let i = 0; i < N; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, N - i) }, async (_, j) => {
        const r = await fetch(`${server.url}/api/v1/chat/public/chats`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `Visitor ${i + j}`, email: `v${i + j}@example.com`, message: { body: 'hello' } }) });
        if (r.status !== 201) throw new Error(`start failed: ${r.status} ${await r.text()}`);
        const b = (await r.json()) as { chat: { id: number }; token: string };
        return { id: b.chat.id, token: b.token };
      }),
    );
    chats.push(...batch);
  }

  // Idle memory before the streams (after a GC-friendly pause for the start traffic to settle).
  await new Promise((r) => setTimeout(r, 1500));
  const before = rssKiB(server.child.pid!);

  // Every visitor opens its stream; arrivals of message ids are recorded.
  const arrived = new Map<number, number>();
  let ready = 0;
  await Promise.all(
    chats.map(
      (c) =>
        new Promise<void>((resolve, reject) => {
          const req = http.get(`${server.url}/api/v1/chat/public/chats/${c.id}/events?token=${encodeURIComponent(c.token)}`, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
            if (res.statusCode !== 200) return reject(new Error(`stream ${c.id}: ${res.statusCode}`));
            res.setEncoding('utf8');
            let buf = '';
            res.on('data', (chunk: string) => {
              buf += chunk;
              let cut: number;
              while ((cut = buf.indexOf('\n\n')) >= 0) {
                const block = buf.slice(0, cut);
                buf = buf.slice(cut + 2);
                if (block.startsWith('event: ready')) {
                  ready++;
                  resolve();
                } else if (block.startsWith('event: chat')) {
                  const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { type: string; message?: { id: number } };
                  if (data.type === 'message' && data.message && !arrived.has(data.message.id)) arrived.set(data.message.id, performance.now());
                }
              }
            });
          });
          req.on('error', reject);
          streams.push(req);
        }),
    ),
  );
  print('chat_open_streams', ready, 'connections');
  await new Promise((r) => setTimeout(r, 1500));
  const after = rssKiB(server.child.pid!);
  print('chat_memory_per_idle_connection', (after - before) / N, 'KiB');

  // The agent accepts ACTIVE chats and writes MESSAGES messages across them, a few at a time.
  const active = chats.slice(0, ACTIVE);
  for (const c of active) {
    const r = await asAgent('POST', `/chat/chats/${c.id}/accept`);
    if (r.status !== 200) throw new Error(`accept failed: ${r.status} ${await r.text()}`);
  }
  const latencies: number[] = [];
  const waitFor = async (id: number) => {
    for (let i = 0; i < 2000 && !arrived.has(id); i++) await new Promise((r) => setTimeout(r, 2));
    return arrived.get(id);
  };
  let lost = 0;
  for (let i = 0; i < MESSAGES; i += 5) {
    await Promise.all(
      Array.from({ length: Math.min(5, MESSAGES - i) }, async (_, j) => {
        const c = active[(i + j) % active.length]!;
        const t0 = performance.now();
        const r = await asAgent('POST', `/chat/chats/${c.id}/messages`, { body: `message ${i + j}` });
        if (r.status !== 201) throw new Error(`send failed: ${r.status} ${await r.text()}`);
        const { id } = (await r.json()) as { id: number };
        const at = await waitFor(id);
        if (at === undefined) lost++;
        else latencies.push(at - t0);
      }),
    );
  }
  latencies.sort((a, b) => a - b);
  print('chat_fanout_p50', percentile(latencies, 0.5), 'ms');
  print('chat_fanout_p95', percentile(latencies, 0.95), 'ms');
  print('chat_fanout_lost', lost, 'messages');
} finally {
  for (const s of streams) s.destroy();
  agent.destroy();
  await server.stop();
  await withClient((c) => c.query(`drop schema if exists ${schema} cascade`));
}
