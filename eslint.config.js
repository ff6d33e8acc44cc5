// ESLint flat config for the whole repository (`npm run lint`).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './designer/svelte.config.js';

/** Unused variables are errors, unless the name says on purpose: `_unused`. */
const unusedVars = [
  'error',
  {
    argsIgnorePattern: '^_',
    varsIgnorePattern: '^_',
    caughtErrorsIgnorePattern: '^_',
    destructuredArrayIgnorePattern: '^_',
  },
];

export default defineConfig([
  globalIgnores(['**/node_modules/', 'data/', 'dist*/', 'designer/build/', 'designer/.svelte-kit/', 'designer/src/lib/paraglide/', 'test/e2e/screenshots/']),

  // Everything: ESLint's recommended rules.
  js.configs.recommended,
  { rules: { 'no-unused-vars': unusedVars } },

  // TypeScript, including the scripts of Svelte components.
  {
    files: ['**/*.ts', '**/*.svelte'],
    extends: [tseslint.configs.recommended],
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': unusedVars,
    },
  },

  // `any` where it is the idiom: migrations are frozen in time and use `Kysely<any>` (as Kysely
  // recommends), and tests read JSON answers of any shape.
  {
    files: ['server/db/migrations/**/*.ts', 'test/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  // Svelte components of the designer, with TypeScript in <script lang="ts">.
  svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.svelte'],
        svelteConfig,
      },
    },
  },

  // Where the code runs: Node for the command, the server, tests and tool configs; the browser for
  // the designer.
  {
    files: ['bin/**/*.mjs', 'server/**', 'test/**', '*.config.{js,mjs,ts}', 'designer/*.config.{js,mjs,ts}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['designer/src/**'],
    languageOptions: { globals: globals.browser },
  },
]);
