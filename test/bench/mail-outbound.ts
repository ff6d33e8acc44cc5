/**
 * Outbound mail throughput: MAIL_BENCH_N mails (default 1000) queued with `queueMail`, then sent
 * by the job worker (WORKER_CONCURRENCY, default 8 here) over SMTP to a local sink (smtp-server on
 * loopback that accepts and discards), on PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL
 * is set, else PGlite. Prints
 *
 *   BENCH mail-outbound 240 mails/s
 */
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../server/config';
import { startWorker } from '../../server/engine/worker';
import { queueMail } from '../../server/mail/queue';
import { closeMailTransports } from '../../server/mail/transport';
import { createServices } from '../../server/services';
import { createTestDatabase } from '../support/db';

const n = Number(process.env.MAIL_BENCH_N ?? 1000);
if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;

async function main() {
  let received = 0;
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        cb();
      });
    },
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
  const port = (sink.server.address() as { port: number }).port;
  const database = await createTestDatabase(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
  const base = loadConfig({});
  const services = createServices(database, { ...base, mailOut: { ...base.mailOut, smtpUrl: `smtp://127.0.0.1:${port}` } }, pino({ level: 'warn' }));
  for (let i = 0; i < n; i += 100) {
    await database.db.transaction().execute(async (trx) => {
      for (let j = i; j < Math.min(n, i + 100); j++) {
        await queueMail(trx, { purpose: 'bench', to: [`user${j}@example.test`], subject: `[Ticket#2026120610000015] Re: bench ${j}`, text: `Hello ${j}\n`.repeat(20), html: `<p>Hello ${j}</p>` });
      }
    });
  }
  const worker = startWorker(services, { loop: false, concurrency: Number(process.env.WORKER_CONCURRENCY ?? 8) });
  const t0 = performance.now();
  await worker.drain();
  const seconds = (performance.now() - t0) / 1000;
  await worker.stop();
  if (received !== n) throw new Error(`the sink received ${received} of ${n} mails`);
  console.log(`BENCH mail-outbound ${(n / seconds).toFixed(0)} mails/s`);
  closeMailTransports();
  await new Promise<void>((r) => sink.close(() => r()));
  await database.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
