/**
 * An exclusive lock on a data folder. PGlite neither locks its folder nor fsyncs, and two processes
 * on one folder lose committed rows, so the server refuses to share: it creates `helpdesk.lock`
 * atomically (O_EXCL) holding its pid, and a second process finds the file, sees the pid alive and
 * stops with a message naming the folder and the holder. A lock left by a dead process is taken over.
 * A server that is listening adds its address (`url`) to its lock, so the CLI finds it there
 * (`readLiveLock`) and talks to it instead of opening the folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataFolderLocked extends Error {
  constructor(
    readonly folder: string,
    readonly holder: LockInfo,
  ) {
    super(
      `The data folder ${folder} is in use by process ${holder.pid} on ${holder.host} ` +
        `(started ${holder.startedAt}, running "${holder.command}"${holder.url ? `, serving ${holder.url}` : ''}). ` +
        `Only one process may use an embedded (PGlite) database: stop that process, point DATA_DIR ` +
        `at another folder, or use PostgreSQL (DATABASE_URL) to run several processes.`,
    );
    this.name = 'DataFolderLocked';
  }
}

export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
  /** Where the server holding the lock answers, once it listens (e.g. `http://127.0.0.1:8080`). */
  url?: string;
}

export interface FolderLock {
  readonly file: string;
  /** Adds fields to the lock file (written whole and renamed into place, so a reader never sees half of it). */
  update(fields: Partial<Pick<LockInfo, 'url'>>): void;
  release(): void;
}

/** The lock file of a data folder. */
export const lockFile = (folder: string) => path.join(folder, 'helpdesk.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

/**
 * The lock of `folder` when a live process on this host holds it; undefined when there is none or
 * it is stale (its process died), so nobody is sent to a server that is gone.
 */
export function readLiveLock(folder: string): LockInfo | undefined {
  const holder = readLock(lockFile(folder));
  return holder && holder.host === os.hostname() && alive(holder.pid) ? holder : undefined;
}

/**
 * Takes the lock on `folder` (creating the folder), or throws `DataFolderLocked`.
 *
 * @example
 * const lock = lockDataFolder('./data'); // ... later: lock.release()
 */
export function lockDataFolder(folder: string): FolderLock {
  fs.mkdirSync(folder, { recursive: true });
  const file = lockFile(folder);
  let me: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.slice(1).join(' '),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeFileSync(fd, JSON.stringify(me));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const current = readLock(file);
        if (current?.pid === me.pid && current.startedAt === me.startedAt) fs.rmSync(file, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      const update = (fields: Partial<Pick<LockInfo, 'url'>>) => {
        if (released) return;
        me = { ...me, ...fields };
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(me), { mode: 0o600 });
        fs.renameSync(tmp, file);
      };
      return { file, update, release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(file);
      // A lock on another host cannot be checked for liveness: respect it.
      if (holder && (holder.host !== me.host || alive(holder.pid)) && holder.pid !== process.pid) {
        throw new DataFolderLocked(folder, holder);
      }
      if (holder && holder.pid === process.pid) {
        throw new DataFolderLocked(folder, holder);
      }
      // Stale (holder died) or unreadable half-written file: take it over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
