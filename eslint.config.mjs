// ESLint over the whole workspace (`npm run lint`; `nx run-many -t lint` per project, cached).
// Formatting is prettier's job: eslint-config-prettier (last) turns off every stylistic rule.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { depConstraints } from './eslint.boundaries.mjs';

// Code that drives the apps from outside or builds fixtures: it reaches into other projects' sources by path
// (apps have no entry point to import), so the boundary rule, which guards production code, does not apply.
const testAndToolFiles = [
  '**/*.test.ts',
  '**/*.test.tsx',
  'test/**',
  'scripts/**',
  'libs/*/test/**',
  'models/**',
  'infra/**',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.nx/**',
      '.tmp/**',
      'test/artifacts/**',
      'libs/db/src/generated/**',
      'clients/python/**',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        // Config files outside every tsconfig's include get the default project.
        projectService: { allowDefaultProject: ['prisma.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allowCircularSelfDependency: false, depConstraints },
      ],
      // `_`-prefixed names mark parameters a signature requires but the body does not use.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Handlers passed to Node/Express/React that return promises are awaited by our own code or report
      // through their own catch; only conditionals and spreads of promises are real mistakes.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after'] },
          ],
        },
      ],
      // Off: `async` on a callback without `await` is how this code turns a synchronous throw into a rejection
      // (e.g. VideoSession.exclusive(async () => ...)); the async-misuse rules above catch the real mistakes.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: testAndToolFiles,
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Tests read JSON bodies (`any` by nature) and assert on them, and feed deliberately ill-typed input to the code
    // under test: the assertions, not the types, are what check those values.
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**', 'libs/*/test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Vite's config is compiled by its own tsconfig (bundler resolution), which the project service does not find.
    files: ['apps/dashboard/vite.config.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: './apps/dashboard/tsconfig.node.json' },
    },
  },
  {
    // Plain JS (node scripts, this config): no type information to lint with.
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['apps/dashboard/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Off: it flags the dashboard's load-on-mount effects (fetch, then setState), the data-loading pattern used
      // throughout; replacing it is a data-layer change, not a lint fix. rules-of-hooks and exhaustive-deps stay.
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  prettier,
);
