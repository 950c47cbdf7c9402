// @ts-check
import eslintConfigPrettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import architecture from './eslint/architecture.plugin.mjs';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'eslint.config.mjs', 'eslint/', 'test/support/swagger-plugin-transformer.js'] },
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
    // The layers of ARCHITECTURE.md: who may import whom, and SQL only in repositories.
    files: ['src/**/*.ts'],
    plugins: { architecture },
    rules: { 'architecture/layer-imports': 'error', 'architecture/sql-in-repositories': 'error' },
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
  eslintConfigPrettier,
);
