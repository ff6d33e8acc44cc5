#!/usr/bin/env node
// The `helpdesk` command. It runs the compiled server in dist/ (`npm run build`) when that build
// is newer than every source file; otherwise (development, a changed file) tsx compiles the
// TypeScript on the fly. `start` builds dist/ first when it is missing or stale.
import { buildServer, distIsFresh } from './server-build.mjs';

const args = process.argv.slice(2);
let fresh = process.env.HELPDESK_TSX !== '1' && distIsFresh();
if (!fresh && args[0] === 'start' && process.env.HELPDESK_TSX !== '1') {
  try {
    await buildServer();
    fresh = true;
  } catch (e) {
    process.stderr.write(`Could not compile the server (${e.message}); running it through tsx.\n`);
  }
}
let run;
if (fresh) {
  process.setSourceMapsEnabled(true); // stack traces in the log point into the TypeScript
  ({ run } = await import('../dist/cli.mjs'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ run } = await import('../server/cli.ts'));
}
process.exitCode = await run(args);
