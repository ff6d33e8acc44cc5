/** The pino logger. JSON lines in production; `LOG_PRETTY`-free so no extra dependency is needed. */
import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    redact: { paths: ['password', '*.password', 'req.headers.authorization', 'req.headers.cookie'], censor: '***' },
  });
}
