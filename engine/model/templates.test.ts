import { describe, expect, it } from 'vitest';
import { parseTemplate, render, resolveTemplate, templateDynamicFields, templateReferences, validateTemplate } from './templates';

describe('templates', () => {
  it('split text and references, tolerating spaces inside the braces', () => {
    expect(parseTemplate('Hi {{ customer.firstName }}!').parts).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'ref', path: ['customer', 'firstName'], raw: '{{ customer.firstName }}', offset: 3 },
      { kind: 'text', text: '!' },
    ]);
  });

  it('list the references and dynamic fields they use', () => {
    const t = '{{ticket.title}} ({{ticket.dynamicFields.Days}} days) for {{customer.email}}, {{vars.x}}';
    expect(templateReferences(t)).toEqual(['ticket.title', 'ticket.dynamicFields.Days', 'customer.email', 'vars.x']);
    expect(templateDynamicFields(t)).toEqual(['Days']);
  });

  it.each([
    ['{{ticket.colour}}', /"colour" is not a property of ticket/],
    ['{{tiket.title}}', /"tiket" is not a template root/],
    ['{{ticket}}', /name a property/],
    ['{{ticket.dynamicFields}}', /name one dynamic field/],
    ['{{ticket.dynamicFields.A.B}}', /name one dynamic field/],
    ['{{customer.email.domain}}', /has no sub-properties/],
    ['Dear {{customer.name', /never closed/],
    ['{{ 1 + 2 }}', /not a reference/],
  ])('report %s', (t, why) => {
    const errors = validateTemplate(t);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(why);
  });

  it('accept variables at any depth and plain text', () => {
    expect(validateTemplate('{{vars.order.lines}} and no braces')).toEqual([]);
    expect(validateTemplate('no template at all')).toEqual([]);
  });

  it('render values, empty for missing ones, lists joined', () => {
    const ctx = { ticket: { number: '2025010110000017', dynamicFields: { Tags: ['a', 'b'] } }, customer: { firstName: 'Ann' } };
    expect(render('Dear {{customer.firstName}}, ticket {{ticket.number}} [{{ticket.dynamicFields.Tags}}]', ctx)).toBe('Dear Ann, ticket 2025010110000017 [a, b]');
    expect(render('x{{vars.missing}}y', ctx)).toBe('xy');
    expect(render('x{{vars.missing}}y', ctx, { missing: 'keep' })).toBe('x{{vars.missing}}y');
  });

  it('do not read inherited properties', () => {
    expect(render('{{vars.constructor}}', { vars: {} })).toBe('');
  });

  it('resolve a lone reference to the value itself', () => {
    expect(resolveTemplate('{{vars.days}}', { vars: { days: 3 } })).toBe(3);
    expect(resolveTemplate('{{vars.days}} days', { vars: { days: 3 } })).toBe('3 days');
    expect(resolveTemplate('{{vars.none}}', {})).toBeNull();
  });
});
