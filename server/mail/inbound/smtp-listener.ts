/**
 * The built-in SMTP listener (`MAIL_LISTEN=host:port`, off by default) for direct delivery from an
 * MTA: it accepts only our system addresses as recipients (550 otherwise), refuses a mail over
 * `MAIL_MAX_BYTES` with 552 (announced by SIZE, checked while receiving), and answers 250 only
 * after the mail is a ticket, a follow-up or a problem mail; when even that fails (the database is
 * down) it answers 451 so the MTA tries again later. No authentication, no TLS: put it on loopback
 * or a private network behind the MTA.
 */
import { SMTPServer } from 'smtp-server';
import type { Services } from '../../services';
import type { InboundConfig } from './config';
import { isSystemAddress } from './dispatch';
import { processMail } from './pipeline';

export interface MailListener {
  port: number;
  close(): Promise<void>;
}

export async function startMailListener(services: Services, inbound: InboundConfig, listen = inbound.listen!): Promise<MailListener> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: inbound.maxBytes,
    banner: 'helpdesk mail listener',
    logger: false,
    onRcptTo(address, _session, cb) {
      isSystemAddress(services.database.db, inbound, address.address).then(
        (ok) => cb(ok ? undefined : Object.assign(new Error(`<${address.address}>: no such system address here`), { responseCode: 550 })),
        (err: Error) => cb(Object.assign(new Error(`temporary failure: ${err.message}`), { responseCode: 451 })),
      );
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= inbound.maxBytes) chunks.push(c);
      });
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || size > inbound.maxBytes) {
          return cb(Object.assign(new Error(`message exceeds the size limit of ${inbound.maxBytes} bytes`), { responseCode: 552 }));
        }
        const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        processMail(services, { raw: Buffer.concat(chunks), source: 'smtp', recipients }, inbound).then(
          (r) => cb(null, r.outcome === 'problem' ? `kept for an administrator (${r.code})` : `accepted (${r.outcome}${r.tn ? ` ${r.tn}` : ''})`),
          (err: Error) => {
            services.log.error({ err }, 'an inbound mail could not be stored; answered 451');
            cb(Object.assign(new Error('temporary failure, try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  server.on('error', (err) => services.log.warn({ err }, 'mail listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : listen.port;
  services.log.info({ host: listen.host, port }, 'mail listener started');
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
