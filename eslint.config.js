import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '.data/**',
      '.test-results/**',
      'artifacts/**',
      'cache/**',
      'types/**',
      'circuits/build/**',
      'packages/chain/src/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-console': 'off',
    },
  },
  {
    // The subgraph template: services hold the business rules and know nothing of GraphQL, so
    // they import neither type-graphql nor a domain's GraphQL-facing modules.
    files: ['subgraphs/*/src/**/*.service.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'type-graphql', message: 'services import no GraphQL; map in <x>.mapper.ts' }],
          patterns: [
            {
              group: [
                '**/*.input.js',
                '**/*.resolver.js',
                '**/*.types.js',
                '**/*.mapper.js',
                'class-validator',
              ],
              message: 'services take plain domain inputs; GraphQL shapes stay in resolvers and mappers',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['admin/src/**/*.{ts,tsx}', 'circuits/src/browser*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
