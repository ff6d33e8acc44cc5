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
    // No inline script runs without its hash: the built pages carry a CSP <meta> with the hash of
    // SvelteKit's boot script (the server also sends these hashes in its own CSP header, see
    // server/http/csp.ts), so markup that slips past escaping cannot run code.
    csp: { mode: 'hash', directives: { 'script-src': ['self'], 'object-src': ['none'], 'base-uri': ['self'] } },
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
