import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * The designer is a single-page app: adapter-static writes it to `build/`, and every path the
 * server does not know as a file gets `index.html` (the fallback), which routes in the browser.
 * SSR and prerendering are off in `src/routes/+layout.ts`. `$engine` is the repository's pure
 * `engine/` (never `engine/sandbox/`, never `server/`).
 * @type {import('@sveltejs/kit').Config}
 */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The pure process core (types, validation, BPMN <-> JSON), shared with the server.
    alias: { $engine: '../engine' },
    adapter: adapter({
      pages: 'build',
      assets: 'build',
      fallback: 'index.html',
      precompress: false,
      strict: true,
    }),
  },
};

export default config;
