/** The Hono environment shared by every route: what middleware puts on the request context. */
import type { Logger } from 'pino';
import type { Access } from '../access/access';
import type { Actor } from '../auth/actor';
import type { Services } from '../services';

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    services: Services;
    actor: Actor | undefined;
    /** CSRF token of the cookie session, when the caller came with one. */
    sessionCsrf: string | undefined;
    access: Access;
  };
}
