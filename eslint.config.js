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

/**
 * Layering by path as well as by name: a relative import that climbs out of one package or app
 * into another's sources would slip past the name rules above, so it is refused everywhere.
 * (ESLint's flat config replaces a rule per file rather than merging it: every
 * no-restricted-imports below goes through `restrict`, which adds these.)
 */
const PATH_RULES = [
  { regex: '^(\\.\\./)+(domain|protocol|client|ticket-printer|discovery)/src/', message: 'import a workspace package by its name (@luot/...), never by a path into its sources.' },
  { regex: '^(\\.\\./)+(\\.\\./)(packages|apps)/', message: 'import a workspace package by its name (@luot/...), never across the tree by path.' },
];
/** Apps' own code never imports another app; only tests may use another app's named test harness. */
const APP_RULES = [{ regex: '^(\\.\\./)+(server|kiosk|counter-display|province)/(src|test|e2e)/', message: 'an app never imports another app (tests may use test/helpers or e2e harnesses).' }];
const restrict = (opts, extra = []) => ['error', { ...opts, patterns: [...(opts.patterns ?? []), ...PATH_RULES, ...extra] }];

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
    rules: { 'no-restricted-imports': restrict(noNodeOrApps) },
  },
  {
    files: ['packages/protocol/src/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({
        patterns: [
          { group: ['node:*'], message: 'protocol is shared with browsers: no node: imports.' },
          { group: ['@luot/ticket-printer', '@luot/server', '@luot/kiosk', '@luot/counter-display'], message: 'protocol depends only on domain.' },
        ],
      }),
    },
  },
  {
    files: ['packages/**/*.ts'],
    ignores: ['packages/domain/**', 'packages/protocol/**'],
    rules: {
      'no-restricted-imports': restrict({
        patterns: [{ group: ['@luot/server', '@luot/kiosk', '@luot/counter-display'], message: 'packages never import apps.' }],
      }),
    },
  },
  {
    // The one client of every screen: browsers and Node alike, so web-standard globals only (fetch,
    // AbortController, timers); it depends on protocol and socket.io-client, never on an app.
    files: ['packages/client/src/**/*.ts'],
    ignores: ['packages/client/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict({
        patterns: [
          { group: ['node:*', 'fs', 'path', 'net', 'http', 'crypto'], message: 'packages/client runs in browsers too: no Node modules.' },
          { group: ['@luot/server', '@luot/kiosk', '@luot/counter-display', '@luot/ticket-printer', '@luot/discovery', 'react', 'react-dom'], message: 'packages/client depends only on protocol and socket.io-client.' },
        ],
      }),
      'no-restricted-globals': ['error',
        ...['window', 'document', 'localStorage', 'sessionStorage', 'location', 'navigator', 'history'].map((name) => ({ name, message: 'packages/client needs no DOM: the page passes what it needs.' })),
      ],
    },
  },
  {
    // Apps: by path, never into another app or a package's sources; their own code (not tests)
    // never imports another app at all.
    files: ['apps/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrict({}) },
  },
  {
    files: ['apps/*/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrict({ patterns: [{ group: ['@luot/server', '@luot/kiosk', '@luot/counter-display', '@luot/province'], message: 'an app never imports another app.' }] }, APP_RULES) },
  },
  {
    files: ['apps/counter-display/src/**/*.{ts,tsx}', 'apps/kiosk/src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Type-aware rules where a forgotten await costs the most: a promise nobody handles (an
    // unhandled rejection ends a Node process) or an async handler where a void one is expected
    // (React and Node ignore the promise it returns, and so its failure). Source files only: the
    // tests are outside the apps' tsconfig projects.
    files: ['apps/*/src/**/*.{ts,tsx}', 'packages/*/src/**/*.ts'],
    ignores: ['**/*.test.{ts,tsx}', '**/testing/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
