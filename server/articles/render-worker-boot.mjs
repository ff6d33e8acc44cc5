// Entry of an article-render worker thread: the code base is TypeScript run by tsx, so register tsx
// in this thread, then load the worker body (as engine/sandbox/worker-boot.mjs does). Started by render.ts.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
