/**
 * `npx helpdesk <command>`: start (build the web interface if missing, then serve), serve,
 * migrate, seed, admin, mail read, process, help. The database commands work directly on the
 * database, or through a running server's REST API (`cli-backend.ts`). Exit codes: 0 ok, 1 failure,
 * 2 usage error, 3 data folder in use, 4 no server to use (unreachable, token refused); mail read 75.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT as ROOT } from './config';
import type { CliBackend } from './cli-backend';
import { ServerRefused } from './cli-remote';
import { DataFolderLocked } from './db/lock';
import { DomainError } from './errors';

// Each command loads only what it needs (dynamic imports), so `help` and usage errors answer at once.

const USAGE = `Usage: helpdesk [--url <address>] <command>

Commands:
  start      build the web interface if it is missing, then serve (same as npm start)
  serve [--role all|web|worker]
             serve without building; --role web answers HTTP and runs no jobs, --role worker runs
             jobs (scripts, services, timers, mail) and answers no HTTP: several processes of either
             kind share one PostgreSQL (HELPDESK_ROLE does the same)
  migrate    bring the database to the latest migration and print the level
  process    validate, import, export, deploy, list, diff and test processes (helpdesk process help)
  mail read  read one mail from standard input into a ticket (for an MTA pipe: "| npx helpdesk mail read");
             exit 0 when it is a ticket, a follow-up or kept as a problem mail, 75 (EX_TEMPFAIL) when it
             could not be stored at all, so the MTA tries again
  seed --tickets N [--seed S]
             add N demo tickets (about 3 articles each) with searchable text, for trying things out
             and for benchmarks; do not use on a production database
  admin reset-password
             give the agent "admin" a new password: ADMIN_PASSWORD, else a generated one (printed);
             ends its sessions and lifts a login lock
  help       this text

The commands that use the database work beside a running server: when a server holds the embedded
data folder (its lock says where it answers), they go through its REST API with the token it keeps
in DATA_DIR/helpdesk.token; otherwise they open the database themselves. They say which on standard
error ("using the server at …", "using the data folder …", "using the PostgreSQL database …"); the
one that creates the agent "admin" prints its generated password there, as npm start does.

  --url <address>   use the server at that address, with the API token in HELPDESK_TOKEN

Exit codes: 0 ok, 1 failed or refused, 2 usage error, 3 data folder in use (by a process that does
not answer), 4 no server to use (--url without HELPDESK_TOKEN, unreachable, token refused);
mail read: 75 instead of 1, 3 and 4.

Configuration comes from the environment: PORT, HOST, DATABASE_URL, DATA_DIR (default: data/ in the
project folder, wherever you run the command), ADMIN_PASSWORD, HELPDESK_TOKEN (see README).`;

/** `--role <role>` of `serve`: the role, undefined when not given, null when the arguments are wrong. */
function takeRole(args: string[]): string | undefined | null {
  if (!args.length) return undefined;
  const value = args.length === 2 && args[0] === '--role' ? args[1] : args.length === 1 && args[0]!.startsWith('--role=') ? args[0]!.slice(7) : null;
  return value && ['all', 'web', 'worker'].includes(value) ? value : null;
}

/** Takes `--url <address>` (or `--url=<address>`) out of the arguments, wherever it stands. */
function takeUrl(argv: string[]): { args: string[]; url: string | undefined } | string {
  const args: string[] = [];
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--url') {
      if (argv[i + 1] === undefined || argv[i + 1]!.startsWith('-')) return '--url needs an address (e.g. --url https://helpdesk.example.com)';
      url = argv[++i];
    } else if (a.startsWith('--url=')) url = a.slice('--url='.length);
    else args.push(a);
  }
  return { args, url };
}

export async function run(argv: string[]): Promise<number> {
  const taken = takeUrl(argv);
  if (typeof taken === 'string') return usage(taken);
  const [command, ...rest] = taken.args;
  const backend = async () => (await import('./cli-backend')).cliBackend(loadConfig(), taken.url);
  try {
    switch (command) {
      case 'start': {
        const config = loadConfig();
        const { hasStaticBuild } = await import('./app');
        if (!hasStaticBuild(config.staticDir)) {
          // Quiet unless it fails: its full output then, so the cause is on screen.
          process.stdout.write('building the web interface, about a minute (first start only)\n');
          const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
          if (r.status !== 0) {
            process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `${r.error.message}\n` : ''}`);
            process.stderr.write('The web interface did not build (output above); serving the API only.\n');
          }
        }
        await (await import('./main')).main();
        return 0;
      }
      case 'serve': {
        const role = takeRole(rest);
        if (role === null) return usage('serve takes only --role all|web|worker');
        if (role) process.env.HELPDESK_ROLE = role;
        await (await import('./main')).main();
        return 0;
      }
      case 'migrate': {
        if (rest.length) return usage(`migrate takes no arguments`);
        const level = await (await backend()).migrationLevel();
        process.stdout.write(`${level.kind}: ${level.applied} migrations applied, at ${level.current}\n`);
        return 0;
      }
      case 'seed': {
        const { values } = parseArgs({ args: rest, options: { tickets: { type: 'string' }, seed: { type: 'string' } } });
        const n = Number(values.tickets);
        if (!values.tickets || !Number.isInteger(n) || n < 1) return usage('seed needs --tickets N (a positive integer)');
        const seed = values.seed === undefined ? undefined : Number(values.seed);
        if (seed !== undefined && !Number.isInteger(seed)) return usage('--seed must be an integer');
        const r = await (await backend()).seed(n, seed, (m) => process.stdout.write(m + '\n'));
        process.stdout.write(`seeded ${r.tickets} tickets and ${r.articles} articles in ${(r.ms / 1000).toFixed(1)} s\n`);
        return 0;
      }
      case 'admin': {
        if (rest[0] !== 'reset-password' || rest.length > 1) return usage('usage: helpdesk admin reset-password (ADMIN_PASSWORD chooses the new password)');
        const r = await (await backend()).resetAdminPassword(loadConfig().adminPassword);
        process.stdout.write(r.generated ? `new password of the agent "admin": ${r.password}\n` : 'the agent "admin" now has the password from ADMIN_PASSWORD\n');
        process.stdout.write('(its sessions were ended and a login lock lifted)\n');
        return 0;
      }
      case 'mail':
        if (rest[0] !== 'read' || rest.length > 1) return usage('usage: helpdesk mail read < message.eml');
        return await mailRead(backend);
      case 'process':
        if (rest[0] === 'help' || rest[0] === '--help') {
          process.stdout.write((await import('./processes/usage')).PROCESS_USAGE + '\n');
          return 0;
        }
        return await (await import('./processes/cli')).processCli(rest, async () => (await backend()).processes());
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        return usage(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof DataFolderLocked) {
      process.stderr.write(`Cannot continue: ${e.message}\n`);
      return 3;
    }
    if (e instanceof ServerRefused) {
      process.stderr.write(`Cannot continue: ${e.message}\n`);
      return 4;
    }
    if (e instanceof DomainError) {
      process.stderr.write(`${e.code}: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
}

/** `helpdesk mail read`: standard input → the inbound pipeline (directly or through the server). */
async function mailRead(backend: () => Promise<CliBackend>): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  if (!raw.length) return usage('mail read: standard input is empty');
  try {
    const r = await (await backend()).readMail(raw);
    process.stdout.write(r.outcome === 'problem' ? `kept as problem mail ${r.problemId}: ${r.reason}\n` : `${r.outcome} ${r.tn ?? ''}\n`.replace(' \n', '\n'));
    return 0;
  } catch (e) {
    // Not stored: the MTA keeps the mail and tries again (also when the server cannot be reached).
    process.stderr.write(`mail read: ${(e as Error).message}; try again later\n`);
    return 75;
  }
}

function usage(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return 2;
}
