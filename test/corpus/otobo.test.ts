/**
 * Compatibility with real OTOBO/Znuny process exports (../shared/corpus/otobo-processes/): every
 * file imports, and the imported process validates except for the parts the importer reports as
 * unsupported (Module conditions, actions naming things by database id, ...). Dynamic fields and
 * other named references are checked against an installation later, on the server.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromBpmn, fromOtoboYaml, toBpmn, validateProcess } from '../../engine/index';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = join(resolve(root, '../shared/corpus'), 'otobo-processes');
const present = existsSync(dir);
if (!present) console.log(`OTOBO corpus not found at ${dir}; skipping the OTOBO compatibility tests.`);
const files = present ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];

/** Problems that only say "this part was kept but cannot run here". */
const REPORTED = new Set(['UNSUPPORTED_CONDITION', 'UNSUPPORTED_ACTION']);

describe.skipIf(!present)('OTOBO corpus', () => {
  it('has the files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)('%s imports into a valid process', async (file) => {
    const { process, warnings, unsupported } = fromOtoboYaml(readFileSync(join(dir, file), 'utf8'));
    const problems = validateProcess(process);
    const errors = problems.filter((p) => p.severity === 'error');
    console.log(
      `${file}: "${process.name}" (${process.key}) → ${process.nodes.length} nodes, ${process.transitions.length} transitions; ` +
        `${unsupported.length} unsupported, ${warnings.length} warnings; problems: ${errors.map((p) => p.code).join(', ') || 'none'}` +
        unsupported.map((u) => `\n    unsupported ${u.type} ${u.id}: ${u.reason}`).join(''),
    );
    expect(errors.filter((p) => !REPORTED.has(p.code))).toEqual([]);
    expect(errors.filter((p) => REPORTED.has(p.code)).length).toBeGreaterThanOrEqual(unsupported.some((u) => u.type === 'Transition' || u.type === 'TransitionAction') ? 1 : 0);
    const bpmn = await fromBpmn(await toBpmn(process));
    expect(bpmn.unsupported).toEqual([]);
    expect({ ...bpmn.process, diagram: undefined }).toEqual({ ...process, diagram: undefined });
  });

  it('names the OTOBO module of a Module condition', () => {
    const { process } = fromOtoboYaml(readFileSync(join(dir, 'test-Complex1.yml'), 'utf8'));
    const problem = validateProcess(process).find((p) => p.code === 'UNSUPPORTED_CONDITION');
    expect(problem?.message).toMatch(/runs the OTOBO module "Raw"/);
  });
});
