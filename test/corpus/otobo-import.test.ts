/**
 * Every OTOBO process export in ../shared/corpus imports through the API: either at once, or it is
 * refused naming each missing reference and then imports with createMissing. Skips when the corpus
 * is absent (a fresh clone has no ../shared).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from '../support/server';

const dir = path.resolve(PROJECT_ROOT, '../shared/corpus/otobo-processes');
const present = fs.existsSync(dir);
if (!present) console.log(`skipping the OTOBO import corpus: ${dir} is absent`);
const files = present ? fs.readdirSync(dir).filter((f) => f.endsWith('.yml')).sort() : [];

describe.skipIf(!present)('OTOBO corpus through the import API', () => {
  let srv: TestServer;
  let admin: Client;
  beforeAll(async () => {
    srv = await startTestServer('pglite');
    admin = new Client(srv.url);
    await admin.login('admin', ADMIN_PASSWORD);
  });
  afterAll(() => srv?.close());

  it.each(files)('%s imports, or names what is missing and then imports with createMissing', async (file) => {
    const yaml = fs.readFileSync(path.join(dir, file), 'utf8');
    const post = (q: string) => admin.request('POST', `/api/v1/processes/import${q}`, yaml, { 'content-type': 'application/yaml' });
    let res = await post('');
    // Two exports of one process (an updated copy) share a key: the second is its new version, by choice.
    if (res.status === 409 && res.body.error.code === 'KEY_CONFLICT') res = await post('?onConflict=new-version');
    if (res.status === 400) {
      expect(res.body.error.code).toBe('MISSING_REFERENCES');
      const missing: Array<{ kind: string; name: string; paths: string[] }> = res.body.error.details.missing;
      expect(missing.length).toBeGreaterThan(0);
      for (const m of missing) {
        expect(m.paths.length).toBeGreaterThan(0);
        // The message names the first few by name.
        if (missing.indexOf(m) < 5) expect(res.body.error.message).toContain(`"${m.name}"`);
      }
      res = await post('?createMissing=true&onConflict=new-version');
    }
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
    expect(res.body.references.missing).toEqual([]);
    const errors = (res.body.problems as Array<{ severity: string; code: string }>).filter((p) => p.severity === 'error');
    // Only what OTOBO can express and we cannot run is left: module conditions and unconvertible actions.
    for (const e of errors) expect(['UNSUPPORTED_CONDITION', 'UNSUPPORTED_ACTION']).toContain(e.code);
    console.log(`${file}: ${res.body.key}, ${errors.length} unsupported, ${res.body.created.length} created`);
  });
});
