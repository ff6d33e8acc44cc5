import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

/** The helpdesk server `vite dev` forwards API calls to (`npm run dev` at the root). */
const server = 'http://localhost:8080';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/api': server,
      '/healthz': server,
    },
  },
});
