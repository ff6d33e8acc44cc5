/**
 * `npm run bench -- mail`: mails per second from nodemailer over our SMTP listener into tickets on
 * PostgreSQL (BENCH_DATABASE_URL / TEST_DATABASE_URL, its own schema), 4 connections at once.
 * Prints `BENCH mail-inbound <n> mails/s`. Goal: ≥ 50 on the 2-core machine.
 */
import nodemailer from 'nodemailer';
import pino from 'pino';
import { loadConfig } from '../../server/config';
import { migrateToLatest, openDatabase } from '../../server/db/index';
import { loadInboundConfig } from '../../server/mail/inbound/config';
import { closeParsePool } from '../../server/mail/inbound/parse-pool';
import { startMailListener } from '../../server/mail/inbound/smtp-listener';
import { createServices } from '../../server/services';
import { BENCH_DATABASE_URL, postgresReachable, print, withClient } from './_server';

const N = Number(process.env.BENCH_MAILS) || 400;
const CONCURRENCY = 4;

if (!(await postgresReachable())) {
  console.log('# PostgreSQL not reachable; mail-inbound skipped');
  process.exit(0);
}
const schema = `bench_mail_${Date.now().toString(36)}`;
await withClient((c) => c.query(`create schema ${schema}`));
const database = await openDatabase({ url: BENCH_DATABASE_URL, schema, poolSize: 10 });
try {
  await migrateToLatest(database.db);
  const services = createServices(database, { ...loadConfig({}), port: 0 }, pino({ level: 'warn' }));
  const listener = await startMailListener(services, loadInboundConfig({ MAIL_ADDRESSES: 'support@helpdesk.test' }), { host: '127.0.0.1', port: 0 });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, pool: true, maxConnections: CONCURRENCY, maxMessages: Infinity, ignoreTLS: true });
  const send = (i: number) =>
    transport.sendMail({ from: `customer${i % 50}@example.test`, to: 'support@helpdesk.test', subject: `Bench mail ${i}`, text: `Hello, this is mail ${i}.\n`.repeat(20), html: `<p>Hello, this is <b>mail ${i}</b>.</p>` });
  for (let i = 0; i < 20; i++) await send(-i - 1); // warm-up
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < N) await send(next++);
  }));
  const seconds = (performance.now() - started) / 1000;
  const tickets = await database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  if (Number(tickets.n) !== N + 20) throw new Error(`expected ${N + 20} tickets, found ${tickets.n}`);
  print('mail-inbound', N / seconds, 'mails/s');
  transport.close();
  await listener.close();
} finally {
  await closeParsePool();
  await database.close();
  await withClient((c) => c.query(`drop schema if exists ${schema} cascade`));
}
