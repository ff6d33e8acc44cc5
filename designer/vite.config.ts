import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

/** The helpdesk server `vite dev` forwards API calls to (`npm run dev` at the root). */
const server = 'http://localhost:8080';

export default defineConfig({
  plugins: [
    // Compiles the message catalogues (messages/<locale>.json) into typed functions in
    // src/lib/paraglide (generated, git-ignored). The locale is chosen at run time by
    // src/lib/i18n/locale.svelte.ts (preferences, account, browser), not by a URL or cookie.
    paraglideVitePlugin({
      project: './project.inlang',
      outdir: './src/lib/paraglide',
      strategy: ['globalVariable', 'baseLocale'],
      emitGitIgnore: false,
      emitReadme: false,
    }),
    sveltekit(),
  ],
  server: {
    // `$engine` lives next to the designer, in the repository's engine/ folder.
    fs: { allow: ['..'] },
    proxy: {
      '/api': server,
      '/healthz': server,
    },
  },
});
