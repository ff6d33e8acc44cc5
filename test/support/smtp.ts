/**
 * An SMTP capture for the outbound mail tests: a real smtp-server on a free loopback port that
 * keeps every message it accepts (raw, with its envelope), and can be told to answer a recipient
 * with a temporary (4xx) or permanent (5xx) refusal. It offers STARTTLS with smtp-server's
 * self-signed certificate, so the client upgrades as it would with a real server.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpCapture {
  port: number;
  /** `smtp://…` for SMTP_URL (self-signed STARTTLS accepted). */
  url: string;
  mails: CapturedMail[];
  /** Answer RCPT TO of addresses matching `pattern` with `code message` (e.g. 550 or 451). */
  refuse(pattern: RegExp, code: number, message: string): void;
  /** Accept every recipient again. */
  clearRefusals(): void;
  /** Answer every DATA with `code message` (null: accept again). */
  refuseData(answer: { code: number; message: string } | null): void;
  /** Resolves once `n` mails have arrived. */
  waitFor(n: number): Promise<CapturedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpCapture(opts: { auth?: { user: string; pass: string } } = {}): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  const refusals: Array<{ pattern: RegExp; code: number; message: string }> = [];
  let dataAnswer: { code: number; message: string } | null = null;
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: !opts.auth,
    ...(opts.auth ? {} : { disabledCommands: ['AUTH'] }),
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) return cb(null, { user: auth.username });
      cb(new Error('Invalid login'));
    },
    onRcptTo(address, _session, cb) {
      const r = refusals.find((x) => x.pattern.test(address.address));
      if (!r) return cb();
      const err = new Error(r.message) as Error & { responseCode: number };
      err.responseCode = r.code;
      cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (dataAnswer) {
          const err = new Error(dataAnswer.message) as Error & { responseCode: number };
          err.responseCode = dataAnswer.code;
          return cb(err);
        }
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((parsed) => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
          for (const w of waiters.splice(0)) w();
          cb(null, 'Ok: queued as CAPTURE');
        }, cb);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  const auth = opts.auth ? `${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.pass)}@` : '';
  return {
    port,
    url: `smtp://${auth}127.0.0.1:${port}?tls.rejectUnauthorized=false`,
    mails,
    refuse: (pattern, code, message) => refusals.push({ pattern, code, message }),
    clearRefusals: () => refusals.splice(0),
    refuseData: (a) => (dataAnswer = a),
    waitFor: (n) =>
      new Promise((resolve) => {
        const check = () => (mails.length >= n ? resolve(mails.slice(0, n)) : waiters.push(check));
        check();
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
