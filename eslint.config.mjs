import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Who may depend on whom: apps never on each other; the emulator only on the shared core; e2e
// projects on both. `allow` lists imports exempt from the "apps cannot be imported" rule.
const moduleBoundaries = (allow) => ({
  enforceBuildableLibDependency: false,
  allow,
  depConstraints: [
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:core', 'type:app', 'type:test-util'] },
    // The core and the apps use test utilities only from their tests; a rule below keeps them out of src.
    { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core', 'type:test-util'] },
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:test-util'] },
    { sourceTag: 'type:test-util', onlyDependOnLibsWithTags: [] },
    { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:core', 'type:app', 'type:test-util'] },
    { sourceTag: 'scope:mock-feishu', notDependOnLibsWithTags: ['scope:admin-api'] },
  ],
});

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
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries([])],
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
              message:
                'mock-feishu/src may import only @feishu-attachments/api-client/wire, never the HTTP client.',
            },
          ],
          patterns: [
            {
              regex: '^@feishu-attachments/api-client/(?!wire$)',
              message:
                'mock-feishu/src may import only @feishu-attachments/api-client/wire, never the HTTP client.',
            },
            {
              regex: '(^|/)libs/api-client/',
              message:
                'Import the shared core by its package name (@feishu-attachments/api-client/wire), not by path.',
            },
            {
              regex: '^ky$',
              message: 'mock-feishu/src is the server side; it has no business with an HTTP client.',
            },
            {
              regex: '^@feishu-attachments/prism-referee$',
              message: 'The Prism referee is for tests only.',
            },
            {
              regex: '^@feishu-attachments/test-support(/|$)',
              message: 'The shared test helpers are for tests only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests of other projects start the emulator in-process through its programmatic API.
    // So does the package check's outside project.
    files: ['apps/*-e2e/**/*.ts', 'apps/*/test/**/*.ts', 'tools/package-check/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(['@feishu-attachments/mock-feishu'])],
    },
  },
  {
    // The emulator's layers (docs/architecture.md): http → core ← adapters. The core (records, rules,
    // use cases, ports) knows neither the web nor the storage; adapters implement the core's ports
    // and know nothing of HTTP; HTTP reaches storage only through the core.
    files: ['apps/mock-feishu/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)http/',
              message: 'Layers: the core must not import the HTTP layer (http → core ← adapters).',
            },
            {
              regex: '(^|/)adapters/',
              message:
                'Layers: the core must not import an adapter; declare a port in core and bind it in app.module.',
            },
            {
              // Types too: a core signature that names Express's Request can only be called by Express.
              // Nest too: each sandbox builds its use cases itself (core/sandboxes/sandbox.ts).
              regex: '^(express|@nestjs/[^/]+)(/|$)|^(node:)?(http|https|http2)$',
              message:
                'Layers: the core knows no HTTP framework or server; http/ hands it plain inputs of its own types.',
            },
          ],
        },
      ],
      // @types/express and @types/multer also declare a global namespace, which no import rule sees.
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSQualifiedName[left.type='Identifier'][left.name='Express']",
          message:
            'Layers: the core knows no HTTP framework or server; http/ hands it plain inputs of its own types.',
        },
      ],
    },
  },
  {
    files: ['apps/mock-feishu/src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)http/',
              message: 'Layers: adapters must not import the HTTP layer (http → core ← adapters).',
            },
            {
              regex: '^@nestjs/',
              message: 'Layers: adapters are plain classes; each sandbox builds its own (core/sandboxes).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/mock-feishu/src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)adapters/',
              message: 'Layers: HTTP reaches storage only through the core (http → core ← adapters).',
            },
            {
              // The ports are the use cases' business: a controller or page that reads one skips the
              // rules (permissions, not-found answers, what goes with what) the use case applies.
              regex: '\\.repository(\\.js)?$|(^|/)core/store/mock-feishu\\.store(\\.js)?$',
              message:
                "Layers: HTTP reaches state through the core's use cases (core/*/*.service.ts), never a store port (*.repository.ts) or the store itself.",
            },
          ],
        },
      ],
    },
  },
  {
    // Product code never links the emulator in; only tests start it.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['apps/mock-feishu/src/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@feishu-attachments/mock-feishu', message: 'Only tests may start the emulator.' }],
          patterns: [
            {
              regex: '^@feishu-attachments/prism-referee$',
              message: 'The Prism referee is for tests only.',
            },
            {
              regex: '^@feishu-attachments/test-support(/|$)',
              message: 'The shared test helpers are for tests only.',
            },
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
            {
              regex: '^(?!\\./|\\.\\./)',
              message:
                'The wire face has no dependencies: it is imported by the emulator and the client alike.',
            },
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
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
  prettier,
);
