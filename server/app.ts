/**
 * The HTTP application: middleware, the API sub-apps, `/healthz`, and the designer's static SPA for
 * every other path. Built from `Services`, so tests create it against their own database.
 */
import { requestLanguage } from './i18n/request';
import fs from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { secureHeaders } from 'hono/secure-headers';
import { PROJECT_ROOT } from './config';
import { migrationLevel } from './db/index';
import type { AppEnv } from './http/env';
import { genericInterfaceApp } from './generic-interface/provider';
import { contentSecurityPolicy, htmlPage } from './http/csp';
import { accessLog, authenticate, bodyLimit, csrfProtection, requestContext } from './http/middleware';
import { notFound, onError } from './http/problem';
import { openApiDocument, REFERENCE_PAGE } from './http/openapi';
import { staticSite } from './http/static';
import { apiRouters } from './routers';
import { chatCrossOrigin } from './chat/cors';
import type { Services } from './services';

const VERSION = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export function createApp(services: Services) {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFound);

  app.use(requestContext(services));
  app.use(requestLanguage());
  app.use(accessLog());
  // The chat widget's script and public endpoints answer other origins (before secureHeaders).
  app.use(chatCrossOrigin());
  // The CSP is set by contentSecurityPolicy() (pages bring their script hashes); the rest here.
  app.use(secureHeaders({ contentSecurityPolicy: undefined, crossOriginEmbedderPolicy: false }));
  app.use(contentSecurityPolicy());

  // The migration level is read once: it only changes when a process starts and migrates.
  let level: ReturnType<typeof migrationLevel> | undefined;
  app.get('/healthz', async (c) => {
    const { database } = c.get('services');
    await sql`select 1`.execute(database.db);
    const migrations = await (level ??= migrationLevel(database.db));
    return c.json({ status: 'ok', database: database.kind, migrations });
  });

  const api = new Hono<AppEnv>();
  api.use(bodyLimit(services.config.maxBodyBytes));
  api.use(authenticate());
  api.use(csrfProtection());
  const routers = apiRouters();
  const doc = openApiDocument(routers.flatMap((r) => r.routes), VERSION);
  api.get('/openapi.json', (c) => c.json(doc));
  api.get('/docs', (c) => htmlPage(c, REFERENCE_PAGE));
  for (const r of routers) api.route(r.base, r.app);
  api.all('*', (c) => notFound(c));
  app.route('/api/v1', api);

  // The OTOBO-compatible Generic Interface (`/api/webservice/<Name>/...` and OTOBO's own path):
  // callers authenticate in the request, so neither the cookie nor its CSRF check applies.
  app.route('/', genericInterfaceApp(services));

  // Any other /api path is an unknown route, never the SPA.
  app.all('/api/*', (c) => notFound(c));
  app.get('*', staticSite(services.config.staticDir));
  return app;
}

/** Whether a designer build exists in `dir`. */
export function hasStaticBuild(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'index.html'));
}
