// Entry of a sandbox worker thread: the code base is TypeScript run by tsx, so register tsx in this
// thread, then load the worker body. Started by pool.ts (node only).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
