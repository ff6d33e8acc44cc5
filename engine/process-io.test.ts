import { describe, expect, it } from 'vitest';
import { toBpmn } from './bpmn/to-bpmn';
import { stringifyProcess } from './model/canonical';
import { kitchenSink, minimalProcess } from './model/fixtures';
import { detectFormat, exportProcess, importProcess, parseProcessJson } from './process-io';

describe('detectFormat', () => {
  it('trusts an explicit content type', () => {
    expect(detectFormat('x', 'application/json; charset=utf-8')).toBe('json');
    expect(detectFormat('x', 'application/bpmn+xml')).toBe('bpmn');
    expect(detectFormat('x', 'text/xml')).toBe('bpmn');
    expect(detectFormat('x', 'application/yaml')).toBe('otobo');
  });

  it('looks at the content otherwise', () => {
    expect(detectFormat('  {"format": "process/1"}')).toBe('json');
    expect(detectFormat(new TextEncoder().encode('\ufeff<?xml version="1.0"?><definitions/>'))).toBe('bpmn');
    expect(detectFormat('---\nProcess:\n  Name: x')).toBe('otobo');
    expect(detectFormat('Activities: {}')).toBe('otobo');
    expect(detectFormat('')).toBeUndefined();
    expect(detectFormat('%PDF-1.4')).toBeUndefined();
  });
});

describe('parseProcessJson', () => {
  it('gives the position of a syntax error', () => {
    expect(() => parseProcessJson('{"format": "process/1",}')).toThrow(expect.objectContaining({ type: 'ProcessFormatError', code: 'JSON_MALFORMED', message: expect.stringMatching(/^The JSON is malformed: .*position/) }));
  });

  it('refuses nesting bombs and other format versions', () => {
    expect(() => parseProcessJson(`${'['.repeat(70)}${']'.repeat(70)}`)).toThrow(expect.objectContaining({ code: 'NESTING_TOO_DEEP' }));
    expect(() => parseProcessJson(`${'['.repeat(500_000)}${']'.repeat(500_000)}`)).toThrow(expect.objectContaining({ code: 'NESTING_TOO_DEEP' }));
    expect(() => parseProcessJson('{"format": "process/2"}')).toThrow(expect.objectContaining({ code: 'FORMAT_UNSUPPORTED' }));
  });
});

describe('importProcess / exportProcess', () => {
  it('reads JSON, BPMN and OTOBO YAML, validating and listing references', async () => {
    const json = await importProcess(stringifyProcess(kitchenSink));
    expect(json).toMatchObject({ format: 'json', problems: [], warnings: [], unsupported: [] });
    expect(json.references.length).toBeGreaterThan(10);
    const bpmn = await importProcess(new TextEncoder().encode(await toBpmn(minimalProcess())));
    expect(bpmn).toMatchObject({ format: 'bpmn', problems: [], process: { key: 'minimal' } });
    const yaml = await importProcess('Process:\n  Name: Empty\n  Config:\n    Path: {}\n');
    expect(yaml).toMatchObject({ format: 'otobo', problems: [], process: { key: 'empty' } });
  });

  it('reports a readable but invalid document as problems, not an exception', async () => {
    const r = await importProcess('{"format": "process/1", "key": "x"}');
    expect(r.problems.map((p) => p.code)).toContain('SCHEMA_REQUIRED');
  });

  it('refuses what is none of the formats', async () => {
    await expect(importProcess('%PDF-1.4 ...')).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
  });

  it('writes canonical JSON or BPMN', async () => {
    expect(await exportProcess(kitchenSink, 'json')).toBe(stringifyProcess(kitchenSink));
    expect(await exportProcess(kitchenSink, 'bpmn')).toMatch(/<bpmn:definitions/);
  });
});
