/**
 * The parse pool under concurrency: more mails than workers at once all parse (each waits for a
 * free worker; none is handed a worker another mail already holds).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeParsePool, parseInWorker } from './parse-pool';

afterAll(() => closeParsePool());

const mail = (i: number) => Buffer.from(`From: a${i}@example.test\r\nTo: support@helpdesk.test\r\nSubject: Mail ${i}\r\nMessage-ID: <m${i}@example.test>\r\n\r\nBody ${i}.\r\n`);

describe('parse pool', () => {
  it('parses many mails started in the same tick, each into its own result', async () => {
    const results = (await Promise.all(Array.from({ length: 8 }, (_, i) => parseInWorker(mail(i), 20_000)))) as Array<{ subject: string }>;
    expect(results.map((r) => r.subject)).toEqual(Array.from({ length: 8 }, (_, i) => `Mail ${i}`));
  }, 60_000);
});
