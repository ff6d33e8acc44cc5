/**
 * `npx helpdesk <command>`: start (build the web interface if missing, then serve), serve,
 * migrate, help. Exit codes: 0 ok, 1 failure, 2 usage error, 3 data folder in use.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT as ROOT } from './config';
import { DataFolderLocked } from './db/lock';

// Each command loads only what it needs (dynamic imports), so `help` and usage errors answer at once.

const USAGE = `Usage: helpdesk <command>

Commands:
  start      build the web interface if it is missing, then serve (same as npm start)
  serve      serve without building
  migrate    bring the database to the latest migration and print the level
  process    validate, import, export, deploy, list and diff processes (helpdesk process help)
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

Commands that open the database print which one on standard error ("using the data folder …");
the one that creates the agent "admin" prints its generated password there, as npm start does.

Configuration comes from the environment: PORT, HOST, DATABASE_URL, DATA_DIR (default: data/ in the
project folder, wherever you run the command), ADMIN_PASSWORD (see README).`;

export async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
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
      case 'serve':
        await (await import('./main')).main();
        return 0;
      case 'migrate': {
        if (rest.length) return usage(`migrate takes no arguments`);
        const config = loadConfig();
        const [{ openForCli }, { migrationLevel }] = await Promise.all([import('./cli-database'), import('./db/index')]);
        const database = await openForCli(config, { admin: false });
        const level = await migrationLevel(database.db);
        await database.close();
        process.stdout.write(`${database.kind}: ${level.applied} migrations applied, at ${level.current}\n`);
        return 0;
      }
      case 'seed': {
        const { values } = parseArgs({ args: rest, options: { tickets: { type: 'string' }, seed: { type: 'string' } } });
        const n = Number(values.tickets);
        if (!values.tickets || !Number.isInteger(n) || n < 1) return usage('seed needs --tickets N (a positive integer)');
        const config = loadConfig();
        const [{ openForCli }, { seedTickets }] = await Promise.all([import('./cli-database'), import('./search/seed')]);
        const database = await openForCli(config);
        try {
          const r = await seedTickets(database.db, n, {
            seed: values.seed ? Number(values.seed) : undefined,
            prefix: config.ticketNumberPrefix,
            log: (m) => process.stdout.write(m + '\n'),
          });
          process.stdout.write(`seeded ${r.tickets} tickets and ${r.articles} articles in ${(r.ms / 1000).toFixed(1)} s\n`);
        } finally {
          await database.close();
        }
        return 0;
      }
      case 'admin': {
        if (rest[0] !== 'reset-password' || rest.length > 1) return usage('usage: helpdesk admin reset-password (ADMIN_PASSWORD chooses the new password)');
        const config = loadConfig();
        const [{ openForCli }, { resetAdminPassword }] = await Promise.all([import('./cli-database'), import('./auth/admin')]);
        const database = await openForCli(config, { admin: false });
        try {
          const r = await resetAdminPassword(database.db, config.adminPassword);
          process.stdout.write(r.generated ? `new password of the agent "admin": ${r.password}\n` : 'the agent "admin" now has the password from ADMIN_PASSWORD\n');
          process.stdout.write('(its sessions were ended and a login lock lifted)\n');
        } finally {
          await database.close();
        }
        return 0;
      }
      case 'mail':
        if (rest[0] !== 'read' || rest.length > 1) return usage('usage: helpdesk mail read < message.eml');
        return await mailRead();
      case 'process':
        if (rest[0] === 'help' || rest[0] === '--help') {
          process.stdout.write((await import('./processes/usage')).PROCESS_USAGE + '\n');
          return 0;
        }
        return await (await import('./processes/cli')).processCli(rest);
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
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
}

/** `helpdesk mail read`: standard input → the inbound pipeline. */
async function mailRead(): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  if (!raw.length) return usage('mail read: standard input is empty');
  const config = loadConfig();
  const [{ createLogger }, { openAndMigrate }, { processMail }, { closeParsePool }, { createServices }] = await Promise.all([
    import('./log'),
    import('./main'),
    import('./mail/inbound/pipeline'),
    import('./mail/inbound/parse-pool'),
    import('./services'),
  ]);
  const log = createLogger('warn');
  let database;
  try {
    database = await openAndMigrate(config, log);
  } catch (e) {
    process.stderr.write(`mail read: the database cannot be opened (${(e as Error).message}); try again later\n`);
    return 75;
  }
  try {
    const r = await processMail(createServices(database, config, log), { raw, source: 'pipe' });
    process.stdout.write(r.outcome === 'problem' ? `kept as problem mail ${r.problemId}: ${r.reason}\n` : `${r.outcome} ${r.tn ?? ''}\n`.replace(' \n', '\n'));
    return 0;
  } catch (e) {
    process.stderr.write(`mail read: the mail could not be stored (${(e as Error).message}); try again later\n`);
    return 75;
  } finally {
    await closeParsePool();
    await database.close();
  }
}

function usage(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return 2;
}
