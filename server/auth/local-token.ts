/**
 * The running server's credential for the local CLI. A server on an embedded (PGlite) data folder
 * owns the folder, so a CLI command run beside it cannot open the database; it talks to the server
 * over the REST API instead. For that the server makes, at every start, a random token that stands
 * for the agent `admin` (as the CLI's direct access does), keeps only its hash in memory, and writes
 * the token into `DATA_DIR/helpdesk.token`, readable only by the user the server runs as (0600).
 * The file is removed when the server stops; a token left by a crashed server is worth nothing, as
 * the next start makes a new one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { newSecret } from './secrets';

/** The credential file of a data folder. */
export const localTokenFile = (dataDir: string) => path.join(dataDir, 'helpdesk.token');

/** The login the local token acts as. */
export const LOCAL_TOKEN_LOGIN = 'admin';

/**
 * Makes a new token and writes it (0600) into the data folder; `remove` deletes the file again.
 *
 * @example
 * const local = writeLocalToken('./data'); services.auth.acceptLocalToken(local.token); // … local.remove()
 */
export function writeLocalToken(dataDir: string): { token: string; file: string; remove(): void } {
  const token = newSecret(32, 'hd_local_');
  const file = localTokenFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.writeFileSync(tmp, token + '\n', { mode: 0o600, flag: 'wx' });
  fs.renameSync(tmp, file);
  return {
    token,
    file,
    remove: () => {
      try {
        if (fs.readFileSync(file, 'utf8').trim() === token) fs.rmSync(file, { force: true });
      } catch {
        // already gone
      }
    },
  };
}

/** The token in a data folder's credential file, or undefined when there is none or it cannot be read. */
export function readLocalToken(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(localTokenFile(dataDir), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
