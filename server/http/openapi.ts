/**
 * The OpenAPI 3.1 document, generated from the same route declarations and JSON Schemas the
 * server validates with (`ApiRouter`), and a self-contained reference page that renders it.
 */
import type { RouteRecord, JsonSchema } from './api';

const PROBLEM: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'stable machine-readable code' },
        message: { type: 'string' },
        path: { type: 'string', description: 'the JSON path or field the error is about' },
        details: {},
      },
    },
  },
};

/** Hono `/tickets/:id` → OpenAPI `/tickets/{id}`. */
const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

export function openApiDocument(routes: RouteRecord[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = toOpenApiPath(r.path);
    const op: Record<string, unknown> = {
      summary: r.spec.summary,
      tags: [r.tag],
      operationId: `${r.method}${p.replace(/[{}]/g, '').replace(/[^\w]+(\w)?/g, (_, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
    };
    if (r.spec.description) op.description = r.spec.description;
    const parameters: unknown[] = [];
    for (const [name, schema] of Object.entries(r.spec.params ?? {})) parameters.push({ name, in: 'path', required: true, schema });
    const q = r.spec.query as { properties?: Record<string, JsonSchema>; required?: string[] } | undefined;
    for (const [name, schema] of Object.entries(q?.properties ?? {})) {
      parameters.push({ name, in: 'query', required: q?.required?.includes(name) ?? false, schema, ...(schema.type === 'array' ? { style: 'form', explode: true } : {}) });
    }
    if (parameters.length) op.parameters = parameters;
    if (r.spec.body) op.requestBody = { required: true, content: { 'application/json': { schema: r.spec.body } } };
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(r.spec.responses)) {
      const binary = schema && typeof schema.binary === 'string' ? (schema.binary as string) : undefined;
      responses[status] = {
        description: Number(status) < 300 ? 'success' : 'error',
        ...(binary
          ? { content: { [binary]: { schema: { type: 'string', format: 'binary' } } } }
          : schema
            ? { content: { 'application/json': { schema } } }
            : {}),
      };
    }
    responses.default = { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    op.responses = responses;
    if (r.spec.auth === 'none') op.security = [];
    (paths[`/api/v1${p}`] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Helpdesk REST API',
      version,
      description:
        'Native REST API. Authenticate with a session cookie (POST /api/v1/auth/login; writes need the X-CSRF-Token header) or an API token (Authorization: Bearer). Errors: {"error": {"code", "message", "path"}}.',
    },
    servers: [{ url: '/' }],
    components: {
      schemas: { Problem: PROBLEM },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token from POST /api/v1/auth/tokens' },
        session: { type: 'apiKey', in: 'cookie', name: 'hd_session' },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}

/** A dependency-free reference page: lists every operation with its schemas, fetched from openapi.json. */
export const REFERENCE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Helpdesk API reference</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
header{background:#1d2433;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
input{width:100%;padding:8px;font-size:14px;border:1px solid #c8ccd4;border-radius:6px;margin:8px 0 16px}
h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #dde1e7;padding-bottom:4px}
details{background:#fff;border:1px solid #dde1e7;border-radius:6px;margin:6px 0}
summary{cursor:pointer;padding:8px 12px;display:flex;gap:12px;align-items:baseline}
.m{font:600 12px ui-monospace,monospace;text-transform:uppercase;width:56px}
.get{color:#0a7d38}.post{color:#1f5fbf}.put,.patch{color:#a35c00}.delete{color:#b3261e}
code{font-family:ui-monospace,monospace}.s{color:#5b6475}
pre{background:#f1f3f6;padding:8px;border-radius:4px;overflow:auto;font-size:12px;margin:4px 12px 12px}
h4{margin:8px 12px 0;font-size:13px}
</style></head><body>
<header><h1>Helpdesk REST API</h1><div class="s" style="color:#c8ccd4">Generated from the server's own JSON Schemas · <a style="color:#9cc2ff" href="/api/v1/openapi.json">openapi.json</a></div></header>
<main><input id="q" placeholder="Filter operations (path, summary, tag)" aria-label="Filter operations"><div id="ops">Loading…</div></main>
<script>
fetch('/api/v1/openapi.json').then(r=>r.json()).then(doc=>{
  const esc=s=>String(s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
  const byTag={};
  for(const [p,ops] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ops))(byTag[op.tags[0]]??=[]).push({p,m,op});
  const html=Object.entries(byTag).map(([tag,list])=>'<h2>'+esc(tag)+'</h2>'+list.map(({p,m,op})=>{
    const params=(op.parameters||[]).map(x=>'<code>'+esc(x.name)+'</code> ('+x.in+(x.required?', required':'')+')').join(', ');
    const body=op.requestBody?'<h4>Request body</h4><pre>'+esc(JSON.stringify(op.requestBody.content['application/json'].schema,null,2))+'</pre>':'';
    const res=Object.entries(op.responses).filter(([s])=>s!=='default').map(([s,r])=>'<h4>'+s+'</h4>'+(r.content?'<pre>'+esc(JSON.stringify(Object.values(r.content)[0].schema,null,2))+'</pre>':'<pre>(no body)</pre>')).join('');
    return '<details data-k="'+esc((p+' '+op.summary+' '+tag).toLowerCase())+'"><summary><span class="m '+m+'">'+m+'</span><code>'+esc(p)+'</code><span class="s">'+esc(op.summary)+'</span></summary>'+(params?'<h4>Parameters</h4><div style="margin:4px 12px">'+params+'</div>':'')+body+res+'</details>';
  }).join('')).join('');
  document.getElementById('ops').innerHTML=html;
  document.getElementById('q').addEventListener('input',e=>{const v=e.target.value.toLowerCase();for(const d of document.querySelectorAll('details'))d.style.display=d.dataset.k.includes(v)?'':'none';});
});
</script></body></html>`;
