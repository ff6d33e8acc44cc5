/**
 * How long user input holds the server's one event loop: the longest event-loop delay
 * (`monitorEventLoopDelay`, max) while a customer posts a large HTML ticket (1.9 MB of paragraphs;
 * 375 KB of nested tables, a worst case for the sanitiser, which runs in a worker), while exporting a process of the largest
 * allowed size as BPMN, and while a 20 KB YAML nesting bomb is refused. Server and client in one
 * process on PGlite, so every millisecond the server spends on the loop shows.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MAX_PROCESS_NODES } from '../../engine/model/schema';
import { createCustomerUser } from '../support/fixtures';
import { ADMIN_PASSWORD, Client, startTestServer } from '../support/server';
import { print } from './_server';

async function blockWhile(fn: () => Promise<unknown>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  await fn();
  h.disable();
  return h.max / 1e6;
}

const srv = await startTestServer('pglite', { validateResponses: false });
const admin = new Client(srv.url);
await admin.login('admin', ADMIN_PASSWORD);
await createCustomerUser(srv.database.db, 'cust', 'cust-password-1', { customerId: 'ACME' });
const customer = new Client(srv.url);
await customer.login('cust', 'cust-password-1', 'customer');

let status = 0;
const bodies = {
  html_ticket_1_9mb: '<p>Hello <b>world</b> &amp; a <a href="https://example.com/x">link</a> to index.</p>\n'.repeat(Math.floor((1.9 * 1024 * 1024) / 90)),
  html_ticket_nested_tables_375kb: `${'<table><tr><td>'.repeat(25_000)}x`,
};
for (const [name, body] of Object.entries(bodies)) {
  const ms = await blockWhile(async () => {
    status = (await customer.post('/api/v1/tickets', { title: name, article: { body, contentType: 'text/html' } })).status;
  });
  print(`event_loop.max_block.${name}`, ms, `ms (answer ${status})`);
}

// Diamonds of a parallel split, two user tasks and a join (gateways carry labels, which are placed
// among all shapes and edges), up to the node limit.
const n = MAX_PROCESS_NODES;
const task = (id: string) => ({ id, type: 'userTask', name: `Task ${id}`, dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } });
const nodes: unknown[] = [{ id: 'start', type: 'startEvent', name: 'Start' }];
const transitions: unknown[] = [];
let prev = 'start';
for (let i = 0; nodes.length + 5 <= n; i++) {
  nodes.push({ id: `s${i}`, type: 'parallelGateway', name: `Split ${i}` }, task(`a${i}`), task(`b${i}`), { id: `j${i}`, type: 'parallelGateway', name: `Join ${i}` });
  transitions.push(
    { id: `ts${i}`, from: prev, to: `s${i}` }, { id: `ta${i}`, from: `s${i}`, to: `a${i}` }, { id: `tb${i}`, from: `s${i}`, to: `b${i}` },
    { id: `tja${i}`, from: `a${i}`, to: `j${i}` }, { id: `tjb${i}`, from: `b${i}`, to: `j${i}` },
  );
  prev = `j${i}`;
}
nodes.push({ id: 'end', type: 'endEvent', name: 'End' });
transitions.push({ id: 'tend', from: prev, to: 'end' });
await admin.post('/api/v1/processes', { format: 'process/1', key: 'big', name: 'Big', start: { interfaces: ['agent'] }, nodes, transitions });
const exportMs = await blockWhile(async () => {
  status = (await admin.get('/api/v1/processes/big/export?format=bpmn&version=draft')).status;
});
print(`event_loop.max_block.bpmn_export_${nodes.length}_nodes`, exportMs, `ms (answer ${status})`);

const yamlMs = await blockWhile(async () => {
  status = (await admin.request('POST', '/api/v1/processes/import', '['.repeat(20_000), { 'content-type': 'application/yaml' })).status;
});
print('event_loop.max_block.yaml_nesting_bomb_20kb', yamlMs, `ms (answer ${status})`);

await srv.close();
const { closeRenderPool } = await import('../../server/articles/render');
await closeRenderPool();
