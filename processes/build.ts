/**
 * Regenerates the files derived from the engine: the JSON Schema (`processes/schema/process-1.schema.json`),
 * the canonical form of the shipped processes (`processes/*.json`), and their BPMN versions
 * (`examples/*.bpmn`). Run after changing the format or a shipped process:
 *
 *     npx tsx processes/build.ts
 *
 * `engine/shipped.test.ts` fails when a committed file is out of date.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processSchema, stringifyProcess, toBpmn, validateProcess, type Process } from '../engine/index';

const here = dirname(fileURLToPath(import.meta.url));
const examples = resolve(here, '../examples');

writeFileSync(join(here, 'schema/process-1.schema.json'), `${JSON.stringify(processSchema, null, 2)}\n`);
for (const file of readdirSync(here).filter((f) => f.endsWith('.json')).sort()) {
  const doc = JSON.parse(readFileSync(join(here, file), 'utf8')) as Process;
  const problems = validateProcess(doc);
  if (problems.length) {
    for (const p of problems) console.error(`${file}${p.path}: ${p.message}`);
    process.exitCode = 1;
    continue;
  }
  writeFileSync(join(here, file), stringifyProcess(doc));
  writeFileSync(join(examples, file.replace(/\.json$/, '.bpmn')), await toBpmn(doc));
  console.log(`${file} → examples/${file.replace(/\.json$/, '.bpmn')}`);
}
