import { describe, expect, it } from 'vitest';
import { initialState, step } from '../runtime/index';
import type { Process } from '../model/types';
import { createExpressionEvaluator } from './expressions';

describe('expression evaluator', () => {
  it('evaluates expressions over ticket, vars and customer, synchronously', async () => {
    const evaluate = await createExpressionEvaluator({ clock: () => Date.UTC(2025, 0, 1) });
    expect(evaluate('vars.total > 10 && ticket.queue === "HR"', { ticket: { queue: 'HR' }, vars: { total: 11 } })).toBe(true);
    expect(evaluate('customer === null && Date.now() === Date.UTC(2025, 0, 1)', { ticket: {}, vars: {} })).toBe(true);
    expect(() => evaluate('nope.x', { ticket: {}, vars: {} })).toThrow(/nope/);
    expect(() => evaluate('(() => { for (;;) {} })()', { ticket: {}, vars: {} })).toThrow(/deadline/);
  });

  it('backs the step function: an expression condition routes, a failing one becomes an incident', async () => {
    const evaluateExpression = await createExpressionEvaluator();
    const process: Process = {
      format: 'process/1', key: 'x', name: 'X', start: { interfaces: ['agent'] },
      nodes: [{ id: 's', type: 'startEvent' }, { id: 'g', type: 'exclusiveGateway' }, { id: 'big', type: 'endEvent' }, { id: 'small', type: 'endEvent' }],
      transitions: [
        { id: 't0', from: 's', to: 'g' },
        { id: 'toBig', from: 'g', to: 'big', condition: { expression: 'Number(ticket.dynamicFields.Amount) > 100' } },
        { id: 'toSmall', from: 'g', to: 'small', condition: { expression: 'ticket.dynamicFields.Amount.length < 4' } },
      ],
    };
    const ctx = { clock: () => 0, evaluateExpression };
    const big = step(process, initialState(), { type: 'start', snapshot: { ticket: { dynamicFields: { Amount: '500' } } } }, ctx);
    expect(big.state.status).toBe('completed');
    expect(big.log.find((e) => e.tr === 'toBig')?.why).toBe('expression "Number(ticket.dynamicFields.Amount) > 100" is true');
    const broken = step(process, initialState(), { type: 'start', snapshot: { ticket: { dynamicFields: {} } } }, ctx);
    expect(broken.state.tokens[0]!.incident).toMatchObject({ code: 'CONDITION_ERROR', message: expect.stringContaining('cannot read property') });
  });
});
