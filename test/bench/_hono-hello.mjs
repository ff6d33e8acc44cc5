// The peer of the API benchmark: a bare Hono app on @hono/node-server answering one small JSON
// document, the ceiling for what any Hono route can do on this machine. Prints its port once listening.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/hello', (c) => c.json({ kind: 'agent', id: 1, login: 'admin', firstName: 'Admin', lastName: 'Istrator', email: 'admin@localhost', isAdmin: true }));
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`${info.port}\n`));
process.on('SIGTERM', () => process.exit(0));
