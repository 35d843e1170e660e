import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests run against the TypeScript sources of the workspace packages (no build needed for unit
// tests); integration tests that spawn the server as a child process use the built dist/.
export default defineConfig({
  resolve: {
    alias: {
      '@luot/domain/testing': here('./packages/domain/src/testing/random-queue.ts'),
      '@luot/domain': here('./packages/domain/src/index.ts'),
      '@luot/protocol': here('./packages/protocol/src/index.ts'),
      '@luot/discovery': here('./packages/discovery/src/index.ts'),
      // Subpaths first: an alias matches by prefix.
      '@luot/client/ticket-watch': here('./packages/client/src/ticket-watch.ts'),
      '@luot/client': here('./packages/client/src/index.ts'),
      '@luot/ticket-printer/testing': here('./packages/ticket-printer/src/testing/index.ts'),
      '@luot/ticket-printer': here('./packages/ticket-printer/src/index.ts'),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.{ts,tsx}',
      'apps/*/test/**/*.test.ts',
      'apps/*/e2e/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
