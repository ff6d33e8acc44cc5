// The compiled server: `npm run build:server` bundles the CLI (and with it the whole server) and
// every worker thread's boot file into dist/ as plain JavaScript, so production starts without
// compiling TypeScript (tsx stays for development and tests). bin/helpdesk.mjs runs dist/ only when
// it is fresh: built after the last change to any file under server/ or engine/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
const SOURCES = ['server', 'engine', 'processes'].map((d) => path.join(ROOT, d));
const STAMP = path.join(DIST, 'build.json');

/** The newest modification time (ms) of a file under the source folders. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of SOURCES) if (fs.existsSync(d)) walk(d);
  return newest;
}

/** True when dist/ holds a build made after the last source change. */
export function distIsFresh() {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
    return typeof stamp.sourcesAt === 'number' && stamp.sourcesAt >= newestSource() && fs.existsSync(path.join(DIST, 'cli.mjs'));
  } catch {
    return false;
  }
}

/** Worker threads start from a `*.mjs` boot file beside their TypeScript body (`new URL('./x.mjs', import.meta.url)`). */
function workerBootFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.mjs')) out.push(p);
    }
  };
  for (const d of SOURCES) if (fs.existsSync(d)) walk(d);
  return out;
}

/** In the bundle TypeScript is already compiled: the boot files' `register()` of tsx does nothing. */
const noTsx = {
  name: 'no-tsx',
  setup(build) {
    build.onResolve({ filter: /^tsx\/esm\/api$/ }, () => ({ path: 'tsx', namespace: 'no-tsx' }));
    build.onLoad({ filter: /.*/, namespace: 'no-tsx' }, () => ({ contents: 'export function register() {}', loader: 'js' }));
  },
};

/**
 * Builds `outDir` (default dist/) into a fresh folder swapped in at the end, so a starting process
 * never sees half a build.
 */
export async function buildServer(outDir = DIST) {
  const { build } = await import('esbuild');
  const sourcesAt = newestSource();
  const tmp = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const entryPoints = { cli: path.join(ROOT, 'server/cli.ts') };
  for (const f of workerBootFiles()) {
    const name = path.basename(f, '.mjs');
    if (entryPoints[name]) throw new Error(`two worker boot files are called ${name}.mjs; names must be unique`);
    entryPoints[name] = f;
  }
  await build({
    entryPoints,
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [noTsx],
  });
  fs.writeFileSync(path.join(tmp, 'build.json'), JSON.stringify({ sourcesAt, builtAt: new Date().toISOString() }) + '\n');
  const old = `${outDir}.old-${process.pid}`;
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
  fs.renameSync(tmp, outDir);
  fs.rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await buildServer();
  process.stdout.write('built the server into dist/\n');
}
