// Compiles the message catalogues (messages/<locale>.json) into typed functions in
// src/lib/paraglide, as the Vite plugin does during `vite dev`/`vite build`; `npm run i18n` (and
// with it `npm run check:designer`) runs this so svelte-check finds them on a clean clone.
// The inlang SDK leaves a network lookup pending for about 30 s after compiling; nothing is left
// to do by then, so the script exits at once.
/* global URL, process */
import { compile } from '@inlang/paraglide-js';

const here = new URL('.', import.meta.url).pathname;
await compile({
  project: `${here}project.inlang`,
  outdir: `${here}src/lib/paraglide`,
  strategy: ['globalVariable', 'baseLocale'],
  emitGitIgnore: false,
  emitReadme: false,
});
process.exit(0);
