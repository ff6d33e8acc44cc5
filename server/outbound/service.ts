/**
 * Outbound services (administrators): the remote systems service tasks and ExecuteInvoker actions
 * call, by name — base URL, auth (the secret encrypted at rest and never returned), default headers,
 * timeout, retries, allow-list and operations with templates and a response mapping. Every input is
 * checked before anything is written (400 naming the path); a test call tries one operation with
 * sample data through the real invoker. Knows no HTTP.
 */
import type { Kysely } from 'kysely';
import { DYNAMIC_FIELD_NAME } from '../../engine/model/fields';
import { parseTemplate } from '../../engine/model/templates';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import type { OutboundOperation } from '../db/tables-outbound';
import { BadRequest, Conflict, NotFound } from '../errors';
import type { Services } from '../services';
import { invoke, isJsonPointer, type Resolver, type ServiceConfig } from './invoker';
import { parseAllowEntry } from './ip';
import { serviceUses, type ServiceUse } from './references';
import { outboundRepo, type OutboundRow } from './repo';
import type { AuthInput, OutboundInput, TestCallInput } from './schema';
import { decryptSecret, encryptSecret, secretsKey, SecretUnreadable } from './secrets';

export const DEFAULTS = { timeoutMs: 10_000, retries: 3, maxResponseBytes: 1_048_576 } as const;

export interface OutboundView {
  name: string;
  description: string;
  baseUrl: string;
  auth: { kind: AuthInput['kind']; user?: string; header?: string; hasSecret: boolean };
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  allowList: string[];
  operations: Record<string, OutboundOperation>;
  maxResponseBytes: number;
  createdAt: string;
  createdBy: string | null;
  changedAt: string;
  changedBy: string | null;
}

/** The settings of a service after a create or change, before they are written. */
interface Settings {
  description: string;
  baseUrl: string;
  auth: Omit<AuthInput, 'secret'>;
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  allowList: string[];
  operations: Record<string, OutboundOperation>;
  maxResponseBytes: number;
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

function view(r: OutboundRow): OutboundView {
  return {
    name: r.name,
    description: r.description,
    baseUrl: r.base_url,
    auth: {
      kind: r.auth_kind,
      ...(r.auth_kind === 'basic' && r.auth_user ? { user: r.auth_user } : {}),
      ...(r.auth_kind === 'apiKey' && r.auth_header ? { header: r.auth_header } : {}),
      hasSecret: r.secret !== null,
    },
    headers: json(r.headers),
    timeoutMs: r.timeout_ms,
    retries: r.retries,
    allowList: json(r.allow_list),
    operations: json(r.operations),
    maxResponseBytes: r.max_response_bytes,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by_login,
    changedAt: r.changed_at.toISOString(),
    changedBy: r.changed_by_login,
  };
}

/**
 * The service `name` as the invoker needs it (secret decrypted), or undefined when there is none.
 * A secret that does not decrypt leaves `secretError` set, so calls fail with CONFIG saying why.
 *
 * @example
 * const svc = await loadServiceConfig(services, db, 'monitoring');
 * const r = await invoke(svc, 'getHostStatus', { params: { host: 'web1' } });
 */
export async function loadServiceConfig(services: Pick<Services, 'config' | 'database'>, db: Kysely<DB>, name: string): Promise<ServiceConfig | undefined> {
  const r = await db.selectFrom('outbound_services').selectAll().where('name', '=', name).executeTakeFirst();
  if (!r) return undefined;
  let secret: string | null = null;
  let secretError: string | undefined;
  if (r.secret !== null) {
    try {
      secret = decryptSecret(r.secret, r.name, secretsKey(services));
    } catch (e) {
      secretError = e instanceof SecretUnreadable ? e.message : `the secret of "${r.name}" cannot be read: ${(e as Error).message}`;
    }
  }
  return {
    name: r.name,
    baseUrl: r.base_url,
    auth: { kind: r.auth_kind, user: r.auth_user, header: r.auth_header, secret },
    ...(secretError ? { secretError } : {}),
    headers: json(r.headers),
    timeoutMs: r.timeout_ms,
    retries: r.retries,
    allowList: json(r.allow_list),
    operations: json(r.operations),
    maxResponseBytes: r.max_response_bytes,
  };
}

// ---- validation -----------------------------------------------------------------------------------

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'trailer', 'keep-alive']);
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Template roots web-service templates can use (there is no process in a test call or an invoker). */
const ROOTS = ['ticket', 'customer', 'owner', 'responsible', 'vars', 'params'];

const bad = (path: string, message: string) => new BadRequest(`${path} ${message}`, path, undefined, 'VALIDATION_FAILED');
const ptr = (...parts: string[]) => '/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Checks a template text: references must name ticket fields, customer, owner, responsible, `vars(.x)` or `params(.x)`. */
function checkTemplate(text: string, path: string): void {
  const parsed = parseTemplate(text);
  const okParams = new Set<string>();
  for (const part of parsed.parts) {
    if (part.kind !== 'ref') continue;
    const root = part.path[0]!;
    if (!ROOTS.includes(root)) throw bad(path, `uses ${part.raw}: "${root}" is not available to web-service templates; use ${ROOTS.join(', ')}`);
    // `{{params}}` / `{{vars}}` alone stand for all of them (a body that forwards the task's params).
    if (root === 'params' || root === 'vars') okParams.add(part.raw);
  }
  const problem = parsed.errors.find((e) => ![...okParams].some((raw) => e.startsWith(`${raw}:`)));
  if (problem) throw bad(path, `has a bad template: ${problem}`);
}

function checkJsonTemplates(v: unknown, path: string): void {
  if (typeof v === 'string') checkTemplate(v, path);
  else if (Array.isArray(v)) v.forEach((x, i) => checkJsonTemplates(x, `${path}/${i}`));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) checkJsonTemplates(x, `${path}${ptr(k)}`);
}

function checkHeaders(headers: Record<string, string>, path: string): void {
  for (const [k, v] of Object.entries(headers)) {
    if (!HEADER_NAME.test(k)) throw bad(`${path}${ptr(k)}`, `is not a valid header name`);
    if (RESERVED_HEADERS.has(k.toLowerCase())) throw bad(`${path}${ptr(k)}`, `is set by the HTTP client; it cannot be configured`);
    if (/[\r\n]/.test(v)) throw bad(`${path}${ptr(k)}`, 'must not contain line breaks');
    checkTemplate(v, `${path}${ptr(k)}`);
  }
}

function checkBaseUrl(text: string): void {
  if (text.includes('{{')) throw bad('/baseUrl', 'cannot hold templates; put them in the operation paths');
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw bad('/baseUrl', `"${text}" is not an absolute URL; write e.g. https://api.example.com/v1`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad('/baseUrl', `must be an http or https URL, not ${u.protocol}`);
  if (u.username || u.password) throw bad('/baseUrl', 'must not contain credentials; use auth (the secret is stored encrypted)');
  if (u.hash) throw bad('/baseUrl', 'must not have a #fragment');
  if (u.search) throw bad('/baseUrl', 'must not have a query; put query parameters in the operations');
}

function checkOperation(name: string, op: OutboundOperation): void {
  const at = `/operations${ptr(name)}`;
  if (op.path !== '' && !op.path.startsWith('/')) throw bad(`${at}/path`, 'must start with "/" (it is appended to the base URL)');
  checkTemplate(op.path, `${at}/path`);
  for (const [k, v] of Object.entries(op.query ?? {})) checkTemplate(v, `${at}/query${ptr(k)}`);
  checkHeaders(op.headers ?? {}, `${at}/headers`);
  if (op.body !== undefined) {
    if (op.method === 'GET') throw bad(`${at}/body`, 'a GET request has no body; use query parameters or another method');
    checkJsonTemplates(op.body, `${at}/body`);
  }
  for (const [name, pointer] of Object.entries(op.response?.vars ?? {})) {
    if (!VAR_NAME.test(name)) throw bad(`${at}/response/vars${ptr(name)}`, 'is not a variable name (letters, digits, underscore; not starting with a digit)');
    if (!isJsonPointer(pointer)) throw bad(`${at}/response/vars${ptr(name)}`, `"${pointer}" is not a JSON pointer; write e.g. /data/status ("" for the whole answer)`);
  }
  for (const [name, pointer] of Object.entries(op.response?.dynamicFields ?? {})) {
    if (!DYNAMIC_FIELD_NAME.test(name)) throw bad(`${at}/response/dynamicFields${ptr(name)}`, 'is not a dynamic field name (letters and digits)');
    if (!isJsonPointer(pointer)) throw bad(`${at}/response/dynamicFields${ptr(name)}`, `"${pointer}" is not a JSON pointer; write e.g. /data/status ("" for the whole answer)`);
  }
}

function checkAuth(auth: Omit<AuthInput, 'secret'>): void {
  if (auth.kind === 'basic' && !auth.user) throw bad('/auth/user', 'is required for basic auth');
  if (auth.kind !== 'basic' && auth.user !== undefined) throw bad('/auth/user', 'only basic auth takes a user');
  if (auth.kind === 'apiKey') {
    if (!auth.header) throw bad('/auth/header', 'is required for apiKey auth (the header carrying the key, e.g. X-API-Key)');
    if (!HEADER_NAME.test(auth.header) || RESERVED_HEADERS.has(auth.header.toLowerCase())) throw bad('/auth/header', `"${auth.header}" is not a usable header name`);
  } else if (auth.header !== undefined) throw bad('/auth/header', 'only apiKey auth takes a header');
}

function checkSettings(s: Settings): void {
  checkBaseUrl(s.baseUrl);
  checkAuth(s.auth);
  checkHeaders(s.headers, '/headers');
  s.allowList.forEach((e, i) => {
    const parsed = parseAllowEntry(e);
    if ('problem' in parsed) throw bad(`/allowList/${i}`, `"${e}" ${parsed.problem}`);
  });
  for (const [name, op] of Object.entries(s.operations)) checkOperation(name, op);
}

const describeUses = (uses: ServiceUse[]) =>
  uses.slice(0, 5).map((u) => `process ${u.key} version ${u.version} (${u.paths[0]})`).join(', ') + (uses.length > 5 ? ` and ${uses.length - 5} more` : '');

// ---- the service ----------------------------------------------------------------------------------

export class OutboundService {
  constructor(private readonly services: Services) {}

  private get db() {
    return this.services.database.db;
  }

  async list(access: Access): Promise<OutboundView[]> {
    await access.assertAdmin();
    return (await outboundRepo.list(this.db)).map(view);
  }

  async get(access: Access, name: string): Promise<OutboundView> {
    await access.assertAdmin();
    const r = await outboundRepo.get(this.db, name);
    if (!r) throw new NotFound(`outbound service "${name}"`);
    return view(r);
  }

  async create(access: Access, input: OutboundInput & { name: string }): Promise<OutboundView> {
    const agent = access.requireAgent();
    await access.assertAdmin();
    const s = this.settings(input);
    checkSettings(s);
    const secret = this.secretFor(input.name, s.auth.kind, input.auth?.secret, undefined);
    const now = this.services.now();
    await this.db.transaction().execute(async (trx) => {
      if (await outboundRepo.lock(trx, input.name)) throw new Conflict(`an outbound service named "${input.name}" exists already`, '/name', 'DUPLICATE');
      await outboundRepo.insert(trx, { name: input.name, ...this.columns(s), secret, created_at: now, created_by: agent.id, changed_at: now, changed_by: agent.id });
    });
    return this.get(access, input.name);
  }

  /** PUT replaces every setting (defaults for the ones left out); PATCH changes the ones given. The secret stays unless a new one is given or the auth kind changes. */
  async update(access: Access, name: string, input: OutboundInput, mode: 'put' | 'patch'): Promise<OutboundView> {
    const agent = access.requireAgent();
    await access.assertAdmin();
    if (input.name !== undefined && input.name !== name) throw bad('/name', 'cannot change: processes refer to the service by name; create a new service instead');
    await this.db.transaction().execute(async (trx) => {
      const old = await outboundRepo.lock(trx, name);
      if (!old) throw new NotFound(`outbound service "${name}"`);
      const current: OutboundInput = {
        description: old.description,
        baseUrl: old.base_url,
        auth: { kind: old.auth_kind, ...(old.auth_user ? { user: old.auth_user } : {}), ...(old.auth_header ? { header: old.auth_header } : {}) },
        headers: json(old.headers),
        timeoutMs: old.timeout_ms,
        retries: old.retries,
        allowList: json(old.allow_list),
        operations: json(old.operations),
        maxResponseBytes: old.max_response_bytes,
      };
      const s = this.settings(mode === 'patch' ? { ...current, ...input } : input);
      checkSettings(s);
      const dropped = Object.keys(current.operations ?? {}).filter((op) => !(op in s.operations));
      if (dropped.length) {
        const uses = (await serviceUses(trx, name)).filter((u) => u.operations.some((op) => dropped.includes(op)));
        if (uses.length) {
          const ops = [...new Set(uses.flatMap((u) => u.operations.filter((op) => dropped.includes(op))))];
          throw new Conflict(`operation ${ops.map((o) => `"${o}"`).join(', ')} of "${name}" is used by ${describeUses(uses)}; keep it until those versions are deactivated`, `/operations${ptr(ops[0]!)}`, 'IN_USE');
        }
      }
      const keep = s.auth.kind === old.auth_kind ? old.secret : null;
      const secret = this.secretFor(name, s.auth.kind, input.auth?.secret, keep ?? undefined);
      await outboundRepo.update(trx, name, { ...this.columns(s), secret, changed_at: this.services.now(), changed_by: agent.id });
    });
    return this.get(access, name);
  }

  /** Deletes a service no live process version uses (409 `IN_USE` naming them otherwise). */
  async remove(access: Access, name: string): Promise<void> {
    await access.assertAdmin();
    await this.db.transaction().execute(async (trx) => {
      if (!(await outboundRepo.lock(trx, name))) throw new NotFound(`outbound service "${name}"`);
      const uses = await serviceUses(trx, name);
      if (uses.length) throw new Conflict(`outbound service "${name}" is used by ${describeUses(uses)}; deactivate those versions (and let their instances finish) first`, undefined, 'IN_USE');
      await outboundRepo.remove(trx, name);
    });
  }

  /** Calls one operation with sample data through the invoker (allow-list, timeout and limits apply). */
  async testCall(access: Access, name: string, input: TestCallInput, resolver?: Resolver) {
    await access.assertAdmin();
    const svc = await loadServiceConfig(this.services, this.db, name);
    if (!svc) throw new NotFound(`outbound service "${name}"`);
    if (!svc.operations[input.operation]) throw bad('/operation', `"${input.operation}" is not an operation of "${name}"; it has ${Object.keys(svc.operations).join(', ') || 'none'}`);
    const r = await invoke(svc, input.operation, { ticket: input.ticket ?? {}, vars: input.vars ?? {}, params: input.params ?? {} }, { ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}), ...(resolver ? { resolver } : {}) });
    return r.ok
      ? { ok: true, status: r.status, durationMs: r.durationMs, result: r.result, body: r.body, excerpt: r.excerpt, request: r.request }
      : {
          ok: false, durationMs: r.durationMs, error: { code: r.code, message: r.message, retriable: r.retriable },
          ...(r.status !== undefined ? { status: r.status } : {}), ...(r.excerpt !== undefined ? { excerpt: r.excerpt } : {}), ...(r.request ? { request: r.request } : {}),
        };
  }

  private settings(input: OutboundInput): Settings {
    if (input.baseUrl === undefined) throw bad('/baseUrl', 'is required');
    const { secret: _secret, ...auth } = input.auth ?? { kind: 'none' as const };
    return {
      description: input.description ?? '',
      baseUrl: input.baseUrl,
      auth,
      headers: input.headers ?? {},
      timeoutMs: input.timeoutMs ?? DEFAULTS.timeoutMs,
      retries: input.retries ?? DEFAULTS.retries,
      allowList: input.allowList ?? [],
      operations: input.operations ?? {},
      maxResponseBytes: input.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    };
  }

  private columns(s: Settings) {
    return {
      description: s.description,
      base_url: s.baseUrl,
      auth_kind: s.auth.kind,
      auth_user: s.auth.kind === 'basic' ? s.auth.user ?? null : null,
      auth_header: s.auth.kind === 'apiKey' ? s.auth.header ?? null : null,
      headers: JSON.stringify(s.headers),
      timeout_ms: s.timeoutMs,
      retries: s.retries,
      allow_list: JSON.stringify(s.allowList),
      operations: JSON.stringify(s.operations),
      max_response_bytes: s.maxResponseBytes,
    };
  }

  /** The encrypted secret to store: a new one, the kept one, or none; 400 when the auth kind needs one and there is none. */
  private secretFor(name: string, kind: AuthInput['kind'], given: string | undefined, kept: string | undefined): string | null {
    if (kind === 'none') {
      if (given !== undefined) throw bad('/auth/secret', 'auth kind "none" takes no secret');
      return null;
    }
    if (given !== undefined) return encryptSecret(given, name, secretsKey(this.services));
    if (kept) return kept;
    throw bad('/auth/secret', `is required for ${kind} auth (${kind === 'basic' ? 'the password' : kind === 'bearer' ? 'the token' : 'the key'})`);
  }
}
