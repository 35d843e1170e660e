import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The kiosk page, served by the Luot server at /kiosk (and loaded from there by the Electron
 * shell). Workspace packages are bundled from their TypeScript sources, so `vite build` does not
 * depend on `tsc -b` having run first.
 */
export default defineConfig({
  root: here('./src/renderer'),
  base: '/kiosk/',
  plugins: [react()],
  resolve: {
    alias: {
      '@luot/domain': here('../../packages/domain/src/index.ts'),
      // Subpath first: an alias matches by prefix.
      '@luot/client/ticket-watch': here('../../packages/client/src/ticket-watch.ts'),
      '@luot/client': here('../../packages/client/src/index.ts'),
      '@luot/protocol': here('../../packages/protocol/src/index.ts'),
    },
  },
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    // A LAN kiosk loads from a local server: one chunk is simplest to cache and to serve.
    chunkSizeWarningLimit: 1000,
    target: 'es2022',
  },
});
