/**
 * Translations of process texts (`i18n` maps on the process, nodes, dialogs and dialog fields):
 * valid tags and known texts only, and kept through JSON and BPMN export and import.
 */
import { describe, expect, it } from 'vitest';
import { fromBpmn } from '../bpmn/from-bpmn';
import { toBpmn } from '../bpmn/to-bpmn';
import { validateProcess } from '../validation/index';
import { canonicalProcess, stringifyProcess } from './canonical';
import { minimalProcess } from './fixtures';
import type { Process } from './types';

function translated(): Process {
  const p = minimalProcess();
  p.i18n = { de: { name: 'Minimal auf Deutsch' } };
  const task = p.nodes[1]!;
  task.name = 'Review';
  task.i18n = { de: { name: 'Prüfung' }, 'pt-BR': { name: 'Revisão' } };
  if (task.type === 'userTask') {
    task.dialog = {
      interfaces: ['agent', 'customer'],
      name: 'Your request',
      submitText: 'Send',
      i18n: { de: { name: 'Ihr Antrag', submitText: 'Absenden' } },
      fields: [{ field: 'Title', display: 'shown', label: 'Subject', description: 'In a few words', i18n: { de: { label: 'Betreff', description: 'In wenigen Worten' } } }],
    };
  }
  return p;
}

describe('process text translations', () => {
  it('are valid on the process, nodes, dialogs and fields', () => {
    expect(validateProcess(translated()).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('name the language and the text they translate', () => {
    const bad = translated();
    bad.nodes[1]!.i18n = { German: { name: 'Prüfung' } };
    const p1 = validateProcess(bad).filter((p) => p.severity === 'error');
    expect(p1.map((p) => p.path)).toContain('/nodes/1/i18n/German');
    const unknown = translated();
    unknown.nodes[1]!.i18n = { de: { title: 'Prüfung' } };
    expect(validateProcess(unknown).filter((p) => p.severity === 'error').map((p) => p.path).join(' ')).toMatch(/\/nodes\/1\/i18n\/de/);
  });

  it('survive export to BPMN and import again', async () => {
    const p = translated();
    const { process } = await fromBpmn(await toBpmn(p));
    expect(process.i18n).toEqual(p.i18n);
    expect(process.nodes.find((n) => n.id === 'task')?.i18n).toEqual(p.nodes[1]!.i18n);
    const task = process.nodes.find((n) => n.id === 'task');
    expect(task?.type === 'userTask' && task.dialog?.i18n).toEqual({ de: { name: 'Ihr Antrag', submitText: 'Absenden' } });
    expect(task?.type === 'userTask' && task.dialog?.fields[0]?.i18n).toEqual({ de: { label: 'Betreff', description: 'In wenigen Worten' } });
  });

  it('keep their place in the canonical JSON (export → import → export gives the same bytes)', () => {
    const text = stringifyProcess(translated());
    expect(stringifyProcess(canonicalProcess(JSON.parse(text) as Process))).toBe(text);
    expect(text).toMatch(/"name": "Review",\n\s+"i18n": \{\n\s+"de": \{\n\s+"name": "Prüfung"/);
  });
});
