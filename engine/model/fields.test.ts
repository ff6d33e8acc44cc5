import { describe, expect, it } from 'vitest';
import { DIALOG_TICKET_FIELDS, parseFieldName } from './fields';

describe('field names', () => {
  it('classify ticket fields, dynamic fields and variables', () => {
    expect(parseFieldName('Queue')).toEqual({ kind: 'ticket', name: 'Queue' });
    expect(parseFieldName('DynamicField_Approved')).toEqual({ kind: 'dynamicField', name: 'Approved' });
    expect(parseFieldName('vars.days')).toEqual({ kind: 'variable', name: 'days' });
  });

  it('explain unknown names', () => {
    expect(parseFieldName('Colour')).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/known ticket fields are Title/) });
    expect(parseFieldName('DynamicField_Bad Name')).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/letters and digits/) });
    expect(parseFieldName('vars.1x')).toMatchObject({ kind: 'unknown' });
  });

  it('use the dialog list for dialogs (Article is a dialog field, not a condition field)', () => {
    expect(parseFieldName('Article', DIALOG_TICKET_FIELDS).kind).toBe('ticket');
    expect(parseFieldName('Article').kind).toBe('unknown');
  });
});
