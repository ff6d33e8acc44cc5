/**
 * Browser-test support: a real server process (`helpdesk serve`) on a temporary PGlite data folder
 * with a known admin password, and the system Chromium driven by playwright-core. The designer must
 * have been built (`npm run build:designer`); without it the server has nothing to serve.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { freePort } from '../support/spawn';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = path.join(ROOT, 'test/e2e/screenshots');
export const ADMIN_PASSWORD = 'e2e-admin-password';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Fails with the command to run when the designer build is missing. */
export function assertDesignerBuilt(): void {
  const index = path.join(ROOT, 'designer/build/index.html');
  if (!fs.existsSync(index)) {
    throw new Error(`The designer is not built (${index} is missing); run \`npm run build:designer\` before \`npm run test:e2e\`.`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}; install the Debian package "chromium" (or set CHROMIUM_PATH).`);
}

export interface TestServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `helpdesk serve` on a fresh data folder and waits until it is healthy. */
export async function startServer(): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-e2e-'));
  const port = await freePort();
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin/helpdesk.mjs'), 'serve'], {
    env: { ...process.env, LOG_LEVEL: 'warn', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  // A cold start on a busy machine can take a while: up to three minutes.
  for (let i = 0; i < 1800; i++) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the server exited: ${out}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, output: () => out, stop };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`the server did not become healthy: ${out}`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Signs in as the admin through the login page (starting from `path`, which redirects there). */
export async function signIn(page: Page, base: string, target = '/admin/processes'): Promise<void> {
  await page.goto(`${base}${target}`);
  await page.waitForURL(/\/login/);
  await page.getByLabel('Login').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === target);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/**
 * Registers an `afterEach` that screenshots the page of a failed test (`failed-<prefix><test name>.png`)
 * and returns `track(page)`, which makes `page` the one to take.
 */
export function screenshotOnFailure(prefix = ''): (page: Page) => Page {
  let failing: Page | undefined;
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && failing && !failing.isClosed()) await screenshot(failing, `failed-${prefix}${ctx.task.name.replace(/\W+/g, '-')}`);
    failing = undefined;
  });
  return (page) => (failing = page);
}

/**
 * Returns `newPage(viewport)`: a fresh page in its own browser context (its own cookies), which logs
 * page errors and is the one screenshotted if its test fails (`screenshotOnFailure(prefix)`).
 */
export function pageOpener(browser: () => Browser, prefix = ''): (viewport?: { width: number; height: number }) => Promise<Page> {
  const track = screenshotOnFailure(prefix);
  return async (viewport = { width: 1280, height: 900 }) => {
    const page = await browser().newPage({ viewport });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    return track(page);
  };
}

/** How wide the page's content is (more than the viewport: it scrolls sideways). */
export function contentWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

/**
 * A signed-in API client for setting up a browser test: `call(method, url, body)` answers
 * `{ status, body }` (JSON parsed).
 */
export async function apiClient(base: string, login: string, password: string) {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  if (res.status !== 200) throw new Error(`login ${login} failed: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (method: string, url: string, body?: unknown) => {
    const r = await fetch(`${base}${url}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as any) : {} };
  };
}
