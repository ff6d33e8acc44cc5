/** LOG_LEVEL=debug logs something useful: every SQL statement the server runs, with its time. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { startServer } from '../server/main';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-debug-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('LOG_LEVEL=debug', () => {
  it('logs each SQL statement with its duration', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const env = { DATA_DIR: dataDir, ADMIN_PASSWORD: 'debug-admin-pw', PORT: '0', HOST: '127.0.0.1' };
    process.env.WORKER_CONCURRENCY = '0';
    const server = await startServer(loadConfig(env), pino({ level: 'debug' }, sink));
    try {
      await fetch(`${server.url}/healthz`);
    } finally {
      await server.close();
      delete process.env.WORKER_CONCURRENCY;
    }
    const sqlLines = lines.filter((l) => l.msg === 'sql');
    expect(sqlLines.length).toBeGreaterThan(10);
    expect(sqlLines.some((l) => /select .* from "agents"/i.test(String(l.sql)))).toBe(true);
    expect(sqlLines.every((l) => typeof l.ms === 'number' && l.level === 20)).toBe(true);
  }, 180_000);
});
