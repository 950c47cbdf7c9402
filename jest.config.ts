import type { Config } from 'jest';

/**
 * Three tiers, one jest project each (`npm run test:unit|test:medium|test:e2e`; `npm test` runs all):
 * unit specs beside the code, with no I/O; medium specs against a real Postgres with the real
 * migrations, or a local fake server, without the app; e2e specs against the app over HTTP.
 */

type Tier = NonNullable<Config['projects']>[number] & object;

function tier(displayName: string, testRegex: string, settings: Tier): Tier {
  return {
    displayName,
    testRegex,
    roots: ['<rootDir>/src', '<rootDir>/test'],
    moduleFileExtensions: ['js', 'json', 'ts'],
    transform: {
      '^.+\\.ts$': [
        'ts-jest',
        {
          tsconfig: 'tsconfig.json',
          // The @nestjs/swagger plugin, as `nest build` applies it, so DTOs are described as in production.
          astTransformers: { before: ['<rootDir>/test/support/swagger-plugin-transformer.js'] },
        },
      ],
    },
    ...settings,
  };
}

/** One migrated template database per run, which each test file clones (jest runs a shared setup once). */
const realPostgres: Tier = {
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

const config: Config = {
  projects: [
    tier('unit', '\\.spec\\.ts$', { testEnvironment: '<rootDir>/test/support/no-io.environment.ts' }),
    tier('medium', '\\.medium-spec\\.ts$', realPostgres),
    tier('e2e', '\\.e2e-spec\\.ts$', realPostgres),
  ],
  testTimeout: 30_000,
  maxWorkers: 2,
};

export default config;
