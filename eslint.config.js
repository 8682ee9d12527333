// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'libs/database/src/generated/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    rules: {
      // Packages meet only through their names and their `exports`: no climbing into a sibling
      // package with `../`, no `@retail/x/src/...`, and every package used is a declared dependency.
      'import-x/no-relative-packages': 'error',
      'import-x/no-extraneous-dependencies': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@retail/*/*', '!@retail/*/testing', '!@retail/realtime-client/node'],
              message: 'Import another package by its name only (its index), never its internals.',
            },
            {
              group: ['**/prisma/generated/**', '**/generated/client.js'],
              message: 'Only @retail/database imports the generated Prisma client.',
            },
            // Climbing out of a package's src/ with ../ can only land in another package.
            {
              regex: '^(\\.\\./)+(.*/)?(libs|apps|src)/',
              message: 'Import another package by its name (@retail/...), never by a relative path.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['libs/database/src/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  prettier,
);
