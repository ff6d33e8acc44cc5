/**
 * The designer's typed clients against the server's OpenAPI document: every API call written in
 * designer/src/lib/** (`request('METHOD', url)`, `upload('METHOD', url)`, `download(url)`) names a
 * path and method the server documents, so a renamed or removed route breaks this test, not the
 * admin's screen. URLs are read from the source: `${BASE}` and other string constants of the file
 * are put in, `${…}` path segments match any segment, query strings are dropped; a URL built from
 * something else (a parameter) is listed as unchecked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestServer, type TestServer } from './support/server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIB = path.join(ROOT, 'designer/src/lib');

interface Call {
  file: string;
  line: number;
  method: string;
  url: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** String constants of a file: `const BASE = '/api/v1/x'` (also template literals without `${}`). */
function constants(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/\bconst\s+(\w+)\s*=\s*(['`])(\/api\/[^'`$]*)\2/g)) out.set(m[1]!, m[3]!);
  return out;
}

/** The literals of a call's URL argument: both branches of a `cond ? a : b`. */
function urlLiterals(args: string): string[] {
  return [...args.matchAll(/`((?:[^`\\]|\\.)*)`|'([^']*)'/g)].map((m) => m[1] ?? m[2]!).filter((u) => u.includes('/api/') || u.startsWith('${'));
}

/** Every API call in the designer's library code. */
function collectCalls(): { calls: Call[]; unchecked: Call[] } {
  const calls: Call[] = [];
  const unchecked: Call[] = [];
  for (const file of sourceFiles(LIB)) {
    // Comments blanked (keeping the lines), so examples in doc comments are not taken for calls.
    const text = fs.readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
      .replace(/^\s*\/\/.*$/gm, '');
    const consts = constants(text);
    const rel = path.relative(ROOT, file);
    const re = /\b(request|upload)\s*(?:<[^()]*?>)?\(\s*'(GET|POST|PUT|PATCH|DELETE)'\s*,([^;]*)|(?<!function )\bdownload\(([^;]*)/g;
    for (const m of text.matchAll(re)) {
      const method = m[2] ?? 'GET';
      const args = m[3] ?? m[4] ?? '';
      const line = text.slice(0, m.index).split('\n').length;
      const first = args.trim().split(/[,)]/)[0]!.trim();
      const literals = consts.has(first) ? [consts.get(first)!] : urlLiterals(args.split(/\)\s*(?:[.;,]|$)/)[0] ?? args);
      if (!literals.length) {
        unchecked.push({ file: rel, line, method, url: args.trim().slice(0, 60) });
        continue;
      }
      for (const literal of literals) {
        let resolved = true;
        const url = literal
          .replace(/\$\{(\w+)\}/g, (whole, name: string) => {
            if (consts.has(name)) return consts.get(name)!;
            return whole;
          })
          .split('?')[0]!;
        // `${…}` after a slash is a path segment; elsewhere it is a query suffix.
        const shaped = url.replace(/\/\$\{[^}]*\}/g, '/{}').replace(/\$\{[^}]*\}/g, '');
        if (!shaped.startsWith('/api/')) resolved = false;
        (resolved ? calls : unchecked).push({ file: rel, line, method, url: resolved ? shaped : literal });
      }
    }
  }
  return { calls, unchecked };
}

describe('the designer API clients', () => {
  let srv: TestServer;
  let documented: Array<{ method: string; path: string }>;
  beforeAll(async () => {
    srv = await startTestServer('pglite');
    const doc = (await new Client(srv.url).get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path: p })));
  });
  afterAll(() => srv?.close());

  it('call only paths and methods the OpenAPI document lists', () => {
    const { calls } = collectCalls();
    // The designer's own clients are found (processes, scripts, outbound services, test mode, monitoring).
    const urls = calls.map((c) => `${c.method} ${c.url}`);
    for (const expected of [
      'GET /api/v1/processes', 'PUT /api/v1/processes/{}/draft', 'POST /api/v1/processes/{}/deploy', 'POST /api/v1/scripts/{}/run',
      'GET /api/v1/outbound-services', 'POST /api/v1/outbound-services/{}/test', 'POST /api/v1/processes/{}/simulate', 'GET /api/v1/processes/{}/stats',
      'GET /api/v1/incidents', 'GET /api/v1/process-instances',
    ]) expect(urls, expected).toContain(expected);

    const missing = calls.filter((c) => {
      const pattern = new RegExp(`^${c.url.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\}/g, '[^/]+')}$`);
      return !documented.some((d) => d.method === c.method && pattern.test(d.path));
    });
    expect(missing.map((c) => `${c.file}:${c.line} ${c.method} ${c.url}`)).toEqual([]);
  });

  it('finds the URL of every call of the process designer', () => {
    // URLs built from a parameter (the generic admin tables, the agent screens) cannot be checked
    // here; the designer's own clients always spell theirs out.
    const own = /^designer\/src\/lib\/(designer\/|bpmn\/|processes\.ts|api\.ts)/;
    const { unchecked } = collectCalls();
    expect(unchecked.filter((c) => own.test(c.file)).map((c) => `${c.file}:${c.line} ${c.url}`)).toEqual([]);
  });
});
