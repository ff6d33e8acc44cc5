/**
 * A private Dovecot (IMAP + POP3) for tests: started from its own config in a temp dir on free
 * loopback ports (`dovecot -c CONF`), one passwd-file user with a plain password, maildir storage in
 * the temp dir; stopped with `doveadm -c CONF stop`. `available()` is false without Debian's
 * dovecot-imapd/dovecot-pop3d: tests then skip, except under `CI`, where they must run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const DOVECOT_USER = 'helpdesk';
export const DOVECOT_PASSWORD = 'mail-secret-1';

export function dovecotAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v dovecot && command -v doveadm'], { encoding: 'utf8' }).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Dovecot {
  imapPort: number;
  pop3Port: number;
  dir: string;
  /** Puts a raw message into the user's INBOX (maildir `new/`). */
  deliver(raw: Buffer | string): void;
  /** Messages in the INBOX (new and cur). */
  count(): number;
  stop(): Promise<void>;
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovecot-'));
  // Dovecot's auth process runs as the dovecot user: it must reach the users file.
  fs.chmodSync(dir, 0o755);
  const [imapPort, pop3Port] = [await freePort(), await freePort()];
  const users = path.join(dir, 'users');
  // The mail user: Dovecot's own system user (uid 0 is refused), owning the maildir.
  const uid = Number(execFileSync('id', ['-u', 'dovecot'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'dovecot'], { encoding: 'utf8' }).trim());
  fs.writeFileSync(users, `${DOVECOT_USER}:{PLAIN}${DOVECOT_PASSWORD}:${uid}:${gid}::${dir}/home::\n`, { mode: 0o644 });
  const maildir = path.join(dir, 'mail', DOVECOT_USER);
  for (const sub of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(maildir, sub), { recursive: true });
  fs.mkdirSync(path.join(dir, 'home'));
  for (const p of [path.join(dir, 'mail'), maildir, ...['new', 'cur', 'tmp'].map((s) => path.join(maildir, s)), path.join(dir, 'home')]) fs.chownSync(p, uid, gid);
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    conf,
    `
protocols = imap pop3
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = test-${path.basename(dir)}
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = ${uid}
first_valid_gid = ${gid}
mail_location = maildir:${dir}/mail/%u
pop3_uidl_format = %08Xu%08Xv
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${users}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${users}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = ${pop3Port}
  }
  inet_listener pop3s {
    port = 0
  }
}
`,
  );
  execFileSync('dovecot', ['-c', conf], { stdio: 'ignore' });
  const deadline = Date.now() + 30_000;
  await waitForPort(imapPort, deadline);
  await waitForPort(pop3Port, deadline);
  let n = 0;
  return {
    imapPort,
    pop3Port,
    dir,
    deliver(raw) {
      const name = `${Date.now()}.${process.pid}_${++n}.test`;
      fs.writeFileSync(path.join(maildir, 'tmp', name), raw);
      fs.chownSync(path.join(maildir, 'tmp', name), uid, gid);
      fs.renameSync(path.join(maildir, 'tmp', name), path.join(maildir, 'new', name));
    },
    count() {
      return fs.readdirSync(path.join(maildir, 'new')).length + fs.readdirSync(path.join(maildir, 'cur')).length;
    },
    async stop() {
      spawnSync('doveadm', ['-c', conf, 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
