import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/coverage/**', '**/node_modules/**', '.nx/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // consistent-type-imports stays off: Nest reads constructor parameter types at run time, and
      // turning those imports into `import type` silently breaks dependency injection.
      // Who may depend on whom: apps never on each other; the emulator only on the shared core.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'scope:mock-feishu', notDependOnLibsWithTags: ['scope:admin-api'] },
          ],
        },
      ],
    },
  },
  {
    // The emulator must not share HTTP logic with the client it is meant to check: its source
    // may use the wire vocabulary only, never the client entry or any deep path.
    files: ['apps/mock-feishu/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@feishu-attachments/api-client',
              message: 'mock-feishu/src may import only @feishu-attachments/api-client/wire, never the HTTP client.',
            },
          ],
          patterns: [
            {
              regex: '^@feishu-attachments/api-client/(?!wire$)',
              message: 'mock-feishu/src may import only @feishu-attachments/api-client/wire, never the HTTP client.',
            },
            {
              regex: '(^|/)libs/api-client/',
              message: 'Import the shared core by its package name (@feishu-attachments/api-client/wire), not by path.',
            },
            { regex: '^ky$', message: 'mock-feishu/src is the server side; it has no business with an HTTP client.' },
          ],
        },
      ],
    },
  },
  {
    // The wire face is the shared vocabulary: types, constants and pure helpers, nothing with I/O.
    files: ['libs/api-client/src/wire/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\./|\\.\\./)', message: 'The wire face has no dependencies: it is imported by the emulator and the client alike.' },
            { regex: '^\\.\\./', message: 'The wire face stands alone; it must not reach into the client.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
