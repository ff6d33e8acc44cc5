import { describe, expect, it } from 'vitest';
import { EngineError, engineErrorFromJSON, isEngineError, ProcessFormatError } from './errors';

describe('engine errors', () => {
  it('survive a trip through JSON with their type, code and details', () => {
    const original = new ProcessFormatError('YAML_MALFORMED', 'The YAML is malformed at line 3.', { line: 3, col: 1 });
    const rebuilt = engineErrorFromJSON(JSON.parse(JSON.stringify(original)));
    expect(rebuilt).toBeInstanceOf(ProcessFormatError);
    expect(rebuilt.toJSON()).toEqual({ type: 'ProcessFormatError', code: 'YAML_MALFORMED', message: 'The YAML is malformed at line 3.', details: { line: 3, col: 1 } });
  });

  it('rebuild unknown types as plain engine errors and are recognised by shape', () => {
    const e = engineErrorFromJSON({ type: 'SandboxTimeout', code: 'TIMEOUT', message: 'too slow' });
    expect(e).toBeInstanceOf(EngineError);
    expect(e.type).toBe('SandboxTimeout');
    expect(isEngineError(e.toJSON())).toBe(true);
    expect(isEngineError(new Error('plain'))).toBe(false);
  });
});
