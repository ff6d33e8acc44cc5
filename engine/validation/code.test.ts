import { describe, expect, it } from 'vitest';
import { copy, minimalProcess } from '../model/fixtures';
import { loadSandbox } from '../sandbox/quickjs';
import { codeProblems } from './code';

describe('codeProblems (issue 19, item 5)', () => {
  it('refuses an expression that does not parse and warns about another engine\'s API', async () => {
    const sandbox = await loadSandbox({ wasmMaxBytes: 32 * 1024 * 1024 });
    const compile = (source: string, kind: 'expression' | 'script') => sandbox.compile(source, kind);
    const doc = copy(minimalProcess());
    doc.transitions[0]!.condition = { expression: '${variables.takeJoin1}' };
    doc.nodes.push({ id: 'calc', type: 'scriptTask', script: { source: 'environment.output.x = 1; next();' } });
    doc.nodes.push({ id: 'ok', type: 'scriptTask', script: { source: 'export default ({ vars }) => ({ vars: { n: (vars.n ?? 0) + 1 } })' } });
    doc.nodes.push({ id: 'bad', type: 'scriptTask', script: { source: 'export default () => ({ vars: { ' } });
    const problems = codeProblems(doc, compile);
    expect(problems.map((p) => `${p.severity} ${p.code} ${p.path}`)).toEqual([
      'error EXPRESSION_SYNTAX /transitions/0/condition/expression',
      'warning FOREIGN_ENGINE_API /transitions/0/condition/expression',
      'warning FOREIGN_ENGINE_API /nodes/3/script/source',
      'error SCRIPT_SYNTAX /nodes/5/script/source',
    ]);
    expect(problems[0]!.message).toMatch(/SyntaxError/);
    expect(problems[2]!.message).toContain('next()');
    expect(codeProblems(minimalProcess(), compile)).toEqual([]);
    expect(sandbox.compile('vars.total > 0 && ticket.queue === "HR"', 'expression')).toBeNull();
  });
});
