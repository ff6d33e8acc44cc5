/**
 * A remote system for outbound-service tests: a real HTTP server on 127.0.0.1 whose answers the
 * test scripts per path, recording every request it receives (method, path, headers, body), so a
 * test can assert what the helpdesk really sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Answers a request: status, JSON (or text) body and headers; or `hang` to never answer. */
export type Answer = { status?: number; json?: unknown; text?: string; headers?: Record<string, string>; hang?: boolean; bytes?: number };
export type Script = (req: SeenRequest, n: number) => Answer;

export interface Remote {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  seen: SeenRequest[];
  /** Sets the answers of a path (`GET /hosts/web1` or just `/hosts/web1`); `n` counts the calls to it. */
  on(route: string, script: Script): void;
  close(): Promise<void>;
}

/** Starts a scripted remote system on a free loopback port. */
export async function startRemote(): Promise<Remote> {
  const scripts = new Map<string, Script>();
  const counts = new Map<string, number>();
  const seen: SeenRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      const pathOnly = s.path.split('?')[0]!;
      const key = scripts.has(`${s.method} ${pathOnly}`) ? `${s.method} ${pathOnly}` : pathOnly;
      const script = scripts.get(key);
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      const a: Answer = script ? script(s, n) : { status: 404, json: { error: 'no such route' } };
      if (a.hang) {
        hanging.add(res);
        return;
      }
      if (a.bytes !== undefined) {
        res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
        const block = Buffer.alloc(16 * 1024, 'x');
        let left = a.bytes;
        const pump = () => {
          while (left > 0) {
            const part = block.subarray(0, Math.min(block.length, left));
            left -= part.length;
            if (!res.write(part)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      const body = a.json !== undefined ? JSON.stringify(a.json) : (a.text ?? '');
      res.writeHead(a.status ?? 200, { 'content-type': a.json !== undefined ? 'application/json' : 'text/plain', ...a.headers });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    on: (route, script) => {
      scripts.set(route, script);
      counts.delete(route);
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
