import type { Config } from 'jest';

/**
 * Three tiers, one jest project each (`npm run test:unit|test:medium|test:e2e`; `npm test` runs all):
 * unit specs beside the code, with no I/O; medium specs against a real Postgres with the real
 * migrations, or a local fake server, without the app; e2e specs against the app over HTTP.
 */

const ESM_DEPENDENCY = '/node_modules/content-disposition/dist/.+\\.js$';

type Tier = Exclude<NonNullable<Config['projects']>[number], string>;

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
      // @fastify/static (Swagger UI's assets) requires this ESM-only package, which Node loads but jest does not.
      [ESM_DEPENDENCY]: ['ts-jest', { tsconfig: { allowJs: true }, isolatedModules: true }],
    },
    transformIgnorePatterns: ['/node_modules/(?!(@fastify/static/node_modules/)?content-disposition/)'],
    ...settings,
  };
}

/** One migrated template database per run, which each test file clones (jest runs a shared setup once). */
const realPostgres: Tier = {
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

const tiers = [
  tier('unit', '\\.spec\\.ts$', { testEnvironment: '<rootDir>/test/support/no-io.environment.ts' }),
  tier('medium', '\\.medium-spec\\.ts$', realPostgres),
  tier('e2e', '\\.e2e-spec\\.ts$', realPostgres),
];

/**
 * `npm run test:<tier>` names its tier in TEST_TIER rather than with --selectProjects, whose list
 * would swallow a file path given after it (`npm run test:unit -- src/config`).
 */
function selectedTiers(name = process.env.TEST_TIER): Tier[] {
  if (!name) return tiers;
  const selected = tiers.filter((candidate) => candidate.displayName === name);
  if (selected.length === 0) throw new Error(`TEST_TIER=${name}: no such tier; use unit, medium or e2e`);
  return selected;
}

const config: Config = {
  projects: selectedTiers(),
  testTimeout: 30_000,
  maxWorkers: 2,
};

export default config;
