// @ts-check
import eslintConfigPrettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'eslint.config.mjs', 'test/support/swagger-plugin-transformer.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Workers implement async contracts; some (the test sandbox) answer without awaiting anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read loosely typed JSON answers from supertest and pg.
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // A provider is one folder: it reaches the core only through the messaging contracts, and
    // otherwise only common/ and the provider kits (never config/, another provider or a repository).
    files: ['src/providers/**/*.ts'],
    ignores: ['src/providers/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?:\\.\\./)+(?!\\.\\./)(?!messaging/contracts/|common/|kits/|providers/kits/)',
              message: 'A provider imports only src/messaging/contracts, src/common and src/providers/kits.',
            },
          ],
        },
      ],
    },
  },
  eslintConfigPrettier,
);
