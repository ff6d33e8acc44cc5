import { describe, expect, it } from 'vitest';
import { kitchenSink } from '../model/fixtures';
import { collectReferences } from './references';

describe('collectReferences', () => {
  const refs = collectReferences(kitchenSink);
  const find = (kind: string, name: string) => refs.find((r) => r.kind === kind && r.name === name);

  it('finds every kind of reference with the paths that use it', () => {
    expect(find('queue', 'Review')?.paths).toEqual(['/nodes/1/assign/queue']);
    expect(find('queue', 'Raw')?.paths).toEqual(['/nodes/1/dialog/fields/0/default', '/transitions/2/condition/all/1/any/0/value/0']);
    expect(find('role', 'Reviewers')?.paths).toEqual(['/nodes/1/assign/role']);
    expect(find('agent', 'alice')?.paths).toEqual(['/nodes/1/assign/agent', '/transitions/2/actions/13/owner']);
    expect(find('script', 'tidy-up')).toMatchObject({ version: 4, paths: ['/nodes/13/script/ref'] });
    expect(find('webservice', 'erp')).toMatchObject({ operation: 'book', paths: ['/nodes/10/service/webservice'] });
    expect(refs.find((r) => r.kind === 'webservice' && r.operation === 'notify')?.paths).toEqual(['/transitions/2/actions/16/webservice']);
    expect(find('process', 'sub-process')).toMatchObject({ version: 2 });
    expect(find('state', 'pending reminder')?.paths).toEqual(['/transitions/2/actions/1/state']);
    expect(find('type', 'Incident')).toBeDefined();
    expect(find('service', 'IT::Email')).toBeDefined();
    expect(find('sla', 'Gold')).toBeDefined();
    expect(find('priority', '4 high')).toBeDefined();
    expect(find('emailTemplate', 'approved')).toBeDefined();
  });

  it('collects dynamic fields from dialogs, conditions, actions and templates', () => {
    expect(find('dynamicField', 'Amount')?.paths).toEqual(['/start/dialog/fields/1/field', '/nodes/5/params/a']);
    expect(find('dynamicField', 'Approved')?.paths).toEqual(['/nodes/1/dialog/fields/1/field', '/transitions/2/condition/all/0/field']);
    expect(find('dynamicField', 'Status')?.paths).toEqual(['/transitions/2/actions/11/fields/Status']);
    expect(find('dynamicField', 'Parent')?.paths).toEqual(['/transitions/2/actions/13/dynamicFields/Parent']);
  });

  it('skips templates, which only resolve at run time', () => {
    expect(refs.some((r) => r.name.includes('{{'))).toBe(false);
  });

  it('tolerates malformed documents', () => {
    expect(collectReferences(null)).toEqual([]);
    expect(collectReferences({ nodes: [null, 3, { type: 'userTask', assign: 'x' }], transitions: 'x' })).toEqual([]);
  });
});
