/**
 * Serves the designer's static SPA build: files as they are, and the fallback page for every other
 * path so client-side routes work on reload. Paths are confined to the build folder. Without a build
 * a short page says how to make one. HTML pages go out with a Content-Security-Policy listing the
 * hashes of their own inline scripts (SvelteKit's boot script), and no `'unsafe-inline'`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Handler } from 'hono';
import { htmlPage } from './csp';
import type { AppEnv } from './env';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** Names adapter-static may give the SPA fallback page. */
const FALLBACKS = ['200.html', 'index.html'];

const NO_BUILD = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Helpdesk</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto">
<h1>Helpdesk</h1><p>The server is running, but the web interface has not been built yet.
Run <code>npm run build</code> (or <code>npm start</code>, which builds what is missing).</p>
<p>The API is at <a href="/api/v1/auth/me">/api/v1</a>; health at <a href="/healthz">/healthz</a>.</p></body></html>`;

export function staticSite(root: string): Handler<AppEnv> {
  const base = path.resolve(root);
  return async function staticSite(c) {
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      rel = '/';
    }
    const file = path.resolve(base, '.' + path.posix.normalize(rel));
    const inside = file === base || file.startsWith(base + path.sep);
    const target = inside ? existingFile(file) : undefined;
    if (target && path.extname(target) === '.html') return htmlPage(c, fs.readFileSync(target, 'utf8'), { 'cache-control': 'no-cache' });
    if (target) {
      const immutable = rel.includes('/_app/immutable/');
      return new Response(Readable.toWeb(fs.createReadStream(target)) as ReadableStream, {
        headers: {
          'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        },
      });
    }
    const fallback = FALLBACKS.map((f) => path.join(base, f)).find((f) => fs.existsSync(f));
    if (!fallback) return htmlPage(c, NO_BUILD);
    return htmlPage(c, fs.readFileSync(fallback, 'utf8'), { 'cache-control': 'no-cache' });
  };
}

function existingFile(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    if (st.isFile()) return file;
    if (st.isDirectory()) {
      const index = path.join(file, 'index.html');
      if (fs.existsSync(index)) return index;
    }
  } catch {
    /* not there */
  }
  return undefined;
}
