import { ProviderRegistry } from '../../src/messaging/registry/provider-registry.service';
import { describeProviderContract, providerContractFixtures } from '../support/provider-contract';
import { startTestApp } from '../support/test-app';

const fixtures = providerContractFixtures();

describe('Provider contract fixtures', () => {
  it('cover every provider the registry knows', async () => {
    const sut = await startTestApp();
    try {
      expect(fixtures.map((fixture) => fixture.code)).toEqual(sut.app.get(ProviderRegistry).codes());
    } finally {
      await sut.close();
    }
  });
});

for (const fixture of fixtures) describeProviderContract(fixture);
