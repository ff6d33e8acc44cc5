import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

/** The helpdesk server `vite dev` forwards API calls to (`npm run dev` at the root). */
const server = 'http://localhost:8080';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    // `$engine` lives next to the designer, in the repository's engine/ folder.
    fs: { allow: ['..'] },
    proxy: {
      '/api': server,
      '/healthz': server,
    },
  },
});
