#!/usr/bin/env node
// The `helpdesk` command. The code is TypeScript; tsx compiles it on the fly, so there is no
// separate server build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../server/cli.ts');
process.exitCode = await run(process.argv.slice(2));
