/**
 * The body of an article-render worker thread (node only): sanitises one HTML body and extracts its
 * text per message, off the server's event loop. Started by `render.ts`, never imported directly.
 */
import { parentPort } from 'node:worker_threads';
import { renderHtmlBody, type RenderedBody } from './sanitize';

export interface RenderRequest {
  id: number;
  html: string;
}

export type RenderReply = { id: number; ok: true; body: RenderedBody } | { id: number; ok: false; message: string };

const port = parentPort!;
port.on('message', ({ id, html }: RenderRequest) => {
  let reply: RenderReply;
  try {
    reply = { id, ok: true, body: renderHtmlBody(html) };
  } catch (e) {
    reply = { id, ok: false, message: (e as Error)?.message ?? String(e) };
  }
  port.postMessage(reply);
});
