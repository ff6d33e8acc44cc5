/**
 * Step 1, parse: the size limit, then mailparser in a worker thread (parse-pool.ts): charsets
 * decoded, header values decoded, addresses, Message-IDs, text and HTML, attachments and inline
 * images. The HTML is sanitised as article bodies are (articles/sanitize.ts); `cid:` images are
 * pointed at `mail-cid/<content-id>` and bound to the stored attachment when the article is written.
 */
import { sanitizeArticleHtml } from '../../../articles/sanitize';
import type { InboundConfig } from '../config';
import { parseInWorker } from '../parse-pool';
import { MailProblem, type IncomingMail, type ParsedMail } from '../types';

/** Rewrites `cid:` references (which the sanitiser would drop) to a relative placeholder it keeps. */
export function markCidImages(html: string): string {
  return html.replace(/(\ssrc\s*=\s*["']?)cid:([^"'\s>]+)/gi, (_m, pre: string, cid: string) => `${pre}mail-cid/${encodeURIComponent(decodeURIComponent(cid).replace(/^<|>$/g, ''))}`);
}

export async function parseMail(mail: IncomingMail, inbound: Pick<InboundConfig, 'maxBytes' | 'maxAttachments' | 'parseTimeoutMs'>): Promise<ParsedMail> {
  if (mail.raw.length > inbound.maxBytes) {
    throw new MailProblem('TOO_LARGE', `the mail has ${mail.raw.length} bytes, more than the limit of ${inbound.maxBytes} (MAIL_MAX_BYTES)`);
  }
  const p = (await parseInWorker(mail.raw, inbound.parseTimeoutMs)) as ParsedMail;
  if (p.attachments.length > inbound.maxAttachments) {
    throw new MailProblem('TOO_MANY_ATTACHMENTS', `the mail has ${p.attachments.length} attachments, more than the limit of ${inbound.maxAttachments} (MAIL_MAX_ATTACHMENTS)`);
  }
  return { ...p, html: p.html === null ? null : sanitizeArticleHtml(markCidImages(p.html)) };
}
