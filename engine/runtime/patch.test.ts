import { describe, expect, it } from 'vitest';
import { checkPatch } from './patch';

describe('checkPatch', () => {
  it('accepts vars and dynamic fields of JSON values', () => {
    expect(checkPatch({ vars: { a: 1, b: [true, null, { c: 'x' }] }, dynamicFields: { Days: 3 } })).toBeUndefined();
    expect(checkPatch({})).toBeUndefined();
  });

  it('refuses other shapes, bad names, prototype keys and non-JSON values with a phrase', () => {
    expect(checkPatch([])).toMatch(/expected an object/);
    expect(checkPatch({ vars: { a: 1 }, ticket: {} })).toMatch(/"ticket" is not allowed/);
    expect(checkPatch({ vars: [] })).toMatch(/vars must be an object/);
    expect(checkPatch({ dynamicFields: { 'Bad-Name': 1 } })).toMatch(/not a valid dynamic field name/);
    expect(checkPatch(JSON.parse('{"vars":{"__proto__":{"x":1}}}'))).toMatch(/not a valid variable name/);
    expect(checkPatch(JSON.parse('{"vars":{"a":{"__proto__":{"x":1}}}}'))).toMatch(/"__proto__" key/);
    expect(checkPatch({ vars: { a: Infinity } })).toMatch(/not a finite number/);
    expect(checkPatch({ vars: { a: new Date() } })).toMatch(/not a JSON value/);
    expect(checkPatch({ vars: { a: 'x'.repeat(300_000) } })).toMatch(/more than/);
  });
});
