/**
 * Compatibility with the BPMN MIWG reference diagrams (../shared/corpus/bpmn-miwg/): every file
 * converts without throwing (ISO-8859-1 files and unresolved references included); the test prints,
 * per file, what was converted and what was reported unsupported.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromBpmn, toBpmn, validateProcess } from '../../engine/index';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = join(resolve(root, '../shared/corpus'), 'bpmn-miwg');
const present = existsSync(dir);
if (!present) console.log(`BPMN MIWG corpus not found at ${dir}; skipping the BPMN compatibility tests.`);
const files = present ? readdirSync(dir).filter((f) => f.endsWith('.bpmn')).sort() : [];

function count(items: Array<{ type: string }>): string {
  const n = new Map<string, number>();
  for (const i of items) n.set(i.type, (n.get(i.type) ?? 0) + 1);
  return [...n].map(([t, k]) => `${k} ${t.replace('bpmn:', '')}`).join(', ') || 'nothing';
}

describe.skipIf(!present)('BPMN MIWG corpus', () => {
  it('has the files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)('%s converts without throwing', async (file) => {
    const { process, unsupported, warnings } = await fromBpmn(readFileSync(join(dir, file)));
    const problems = validateProcess(process);
    console.log(
      `${file}: "${process.name}" → converted ${count(process.nodes)} and ${process.transitions.length} transitions; ` +
        `unsupported: ${count(unsupported)}; ${warnings.length} warnings; ${problems.filter((p) => p.severity === 'error').length} validation errors`,
    );
    expect(process.format).toBe('process/1');
    expect(process.nodes.length + unsupported.length).toBeGreaterThan(0);
    for (const u of unsupported) expect(u.reason.length).toBeGreaterThan(0);
    for (const p of problems) expect(p.path).toMatch(/^(\/|$)/);
    // What was converted can be written back as BPMN and read again.
    const again = await fromBpmn(await toBpmn(process));
    expect(again.process.nodes.map((n) => n.id)).toEqual(process.nodes.map((n) => n.id));
  });

  it('decodes the ISO-8859-1 files without mojibake', async () => {
    const latin1 = files.filter((f) => /encoding="ISO-8859-1"/i.test(readFileSync(join(dir, f), 'latin1').slice(0, 200)));
    expect(latin1.length).toBeGreaterThan(0);
    for (const f of latin1) {
      const { process } = await fromBpmn(readFileSync(join(dir, f)));
      expect(JSON.stringify(process)).not.toMatch(/\ufffd/);
    }
  });
});
