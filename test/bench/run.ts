/**
 * `npm run bench` runs every benchmark in this folder; `npm run bench -- <name>` runs those whose
 * file name contains <name>. Each benchmark prints its figures as `BENCH <name> <value> <unit>`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv.slice(2).filter((a) => a !== '--');
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .filter((f) => !filter.length || filter.some((n) => f.includes(n)))
  .sort();

if (!files.length) {
  console.error(`no benchmark matches ${filter.join(' ')}; available: ${fs.readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'run.ts').join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const f of files) {
  console.log(`# ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, f)], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
