// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Dependencies point one way: domain <- protocol <- client <- apps. */
const noNodeOrApps = {
  patterns: [
    { group: ['node:*', 'fs', 'path', 'net', 'http', 'crypto'], message: 'packages/domain is pure: no I/O.' },
    { group: ['@luot/protocol', '@luot/ticket-printer', '@luot/server', '@luot/kiosk', '@luot/counter-display'], message: 'domain depends on nothing.' },
  ],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/dist-types/**', '**/node_modules/**', 'data/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Tests read JSON answers whose shape is what they assert.
    files: ['**/test/**/*.ts', '**/e2e/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['packages/domain/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noNodeOrApps] },
  },
  {
    files: ['packages/protocol/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*'], message: 'protocol is shared with browsers: no node: imports.' },
          { group: ['@luot/ticket-printer', '@luot/server', '@luot/kiosk', '@luot/counter-display'], message: 'protocol depends only on domain.' },
        ],
      }],
    },
  },
  {
    files: ['packages/**/*.ts'],
    ignores: ['packages/domain/**', 'packages/protocol/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@luot/server', '@luot/kiosk', '@luot/counter-display'], message: 'packages never import apps.' }],
      }],
    },
  },
  {
    // The one client of every screen: browsers and Node alike, so web-standard globals only (fetch,
    // AbortController, timers); it depends on protocol and socket.io-client, never on an app.
    files: ['packages/client/src/**/*.ts'],
    ignores: ['packages/client/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'net', 'http', 'crypto'], message: 'packages/client runs in browsers too: no Node modules.' },
          { group: ['@luot/server', '@luot/kiosk', '@luot/counter-display', '@luot/ticket-printer', '@luot/discovery', 'react', 'react-dom'], message: 'packages/client depends only on protocol and socket.io-client.' },
        ],
      }],
      'no-restricted-globals': ['error',
        ...['window', 'document', 'localStorage', 'sessionStorage', 'location', 'navigator', 'history'].map((name) => ({ name, message: 'packages/client needs no DOM: the page passes what it needs.' })),
      ],
    },
  },
  {
    files: ['apps/counter-display/src/**/*.{ts,tsx}', 'apps/kiosk/src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
