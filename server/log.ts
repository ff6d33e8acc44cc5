/** The pino logger. JSON lines in production; `LOG_PRETTY`-free so no extra dependency is needed. */
import pino, { type Logger } from 'pino';

/** A logger at `level`, writing to standard output (or `fd`: CLI commands log to standard error, 2). */
export function createLogger(level: string, fd = 1): Logger {
  const opts = {
    level,
    base: { pid: process.pid },
    redact: { paths: ['password', '*.password', 'req.headers.authorization', 'req.headers.cookie'], censor: '***' },
  };
  return fd === 1 ? pino(opts) : pino(opts, pino.destination({ fd, sync: true }));
}
