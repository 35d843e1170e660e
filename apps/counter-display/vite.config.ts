import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// One SPA for /counter, /display (and later /admin, /t/<id>, /rating): the server serves dist/ at
// /ui/ and answers those paths with index.html, so assets are addressed under /ui/.
export default defineConfig({
  base: '/ui/',
  plugins: [react()],
  resolve: {
    // Build from the workspace packages' sources, so this build never waits for their tsc output.
    alias: {
      '@luot/domain': here('../../packages/domain/src/index.ts'),
      // Subpath first: an alias matches by prefix.
      '@luot/client/ticket-watch': here('../../packages/client/src/ticket-watch.ts'),
      '@luot/client': here('../../packages/client/src/index.ts'),
      '@luot/protocol': here('../../packages/protocol/src/index.ts'),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      // The citizen's ticket page (/t/<id>) is its own entry: no React, no zod, no staff app.
      input: { index: here('./index.html'), ticket: here('./ticket.html') },
    },
  },
  server: {
    // `pnpm --dir apps/counter-display dev` against a server on :8080.
    proxy: {
      '/api': 'http://localhost:8080',
      '/voice': 'http://localhost:8080',
      '/socket.io': { target: 'http://localhost:8080', ws: true },
    },
  },
});
