import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFolderLocked, lockDataFolder } from './lock';

const made: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-lock-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

describe('lockDataFolder', () => {
  it('creates the folder and a lock file naming this process, and removes it on release', () => {
    const dir = path.join(tmp(), 'nested');
    const lock = lockDataFolder(dir);
    const info = JSON.parse(fs.readFileSync(lock.file, 'utf8'));
    expect(info.pid).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
  });

  it('refuses a folder locked by a live process, naming folder and holder', () => {
    const dir = tmp();
    const lock = lockDataFolder(dir);
    try {
      expect(() => lockDataFolder(dir)).toThrow(DataFolderLocked);
      expect(() => lockDataFolder(dir)).toThrow(`The data folder ${dir} is in use by process ${process.pid}`);
    } finally {
      lock.release();
    }
  });

  it('takes over a lock left by a process that died', () => {
    const dir = tmp();
    // A pid that surely is not running any more: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(
      path.join(dir, 'helpdesk.lock'),
      JSON.stringify({ pid: Number(dead), host: os.hostname(), startedAt: 'then', command: 'old' }),
    );
    const lock = lockDataFolder(dir);
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('respects a lock held on another host', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'helpdesk.lock'), JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'x', command: 'y' }));
    expect(() => lockDataFolder(dir)).toThrow(/process 1 on elsewhere/);
  });
});
