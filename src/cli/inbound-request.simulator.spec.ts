import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ProviderHttpOptions } from '../common/http/provider-http-options';
import { ChannelContext } from '../messaging/contracts/channel-context';
import { ProviderStateStore } from '../messaging/contracts/provider-state-store';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';
import { PROVIDER_MODULES } from '../providers';
import { CliFailure, EXIT } from './cli-output';
import { simulateInboundRequest } from './inbound-request.simulator';

/** What provider modules take from the core; simulating touches neither the network nor provider state. */
@Global()
@Module({
  providers: [
    {
      provide: ProviderHttpOptions,
      useValue: new ProviderHttpOptions({ timeoutMs: 1_000, maxDownloadBytes: 1_024, allowPrivateNetwork: false }),
    },
    { provide: ProviderStateStore, useValue: {} },
  ],
  exports: [ProviderHttpOptions, ProviderStateStore],
})
class CoreForProviders {}

function channelOf(provider: string, settings: Record<string, unknown>, source: string | null = null): ChannelContext {
  return {
    id: '0b7f3c1e-5a2d-4f8e-9c61-2d4e8a7b9f30',
    name: `A ${provider} channel`,
    provider,
    source,
    settings,
    webhookUrl: 'https://chat.example.com/webhooks/0b7f3c1e-5a2d-4f8e-9c61-2d4e8a7b9f30',
  };
}

const sandbox = channelOf('test', { token: 'sandbox-token' });

describe(simulateInboundRequest.name, () => {
  let registry: ProviderRegistry;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule, CoreForProviders, ...PROVIDER_MODULES],
      providers: [ProviderRegistry],
    }).compile();
    await moduleRef.init();
    registry = moduleRef.get(ProviderRegistry);
  });

  function failureOf(simulate: () => unknown): CliFailure {
    try {
      simulate();
    } catch (error) {
      expect(error).toBeInstanceOf(CliFailure);
      return error as CliFailure;
    }
    throw new Error('the simulation was accepted');
  }

  it("builds the request with the channel's provider simulator, which its income worker accepts", () => {
    const request = simulateInboundRequest(
      registry,
      { id: '777', chatId: 'c-1', from: { id: 'u-1', name: 'Ada Lovelace' }, text: 'Where is my order?' },
      sandbox,
    );

    const { income } = registry.get('test');
    expect(() => income.verify(request, sandbox)).not.toThrow();
    expect(income.parse(request.body, sandbox)).toMatchObject([
      { kind: 'message', externalMessageId: '777', externalChatId: 'c-1', text: 'Where is my order?' },
    ]);
  });

  it('generates a fresh message id when none is given', () => {
    const first = simulateInboundRequest(registry, { from: { id: 'u-1' }, text: 'hi' }, sandbox);
    const second = simulateInboundRequest(registry, { from: { id: 'u-1' }, text: 'hi' }, sandbox);

    expect((first.body as { id: string }).id).not.toEqual((second.body as { id: string }).id);
  });

  it('says which providers it supports when asked for another', () => {
    const failure = failureOf(() =>
      simulateInboundRequest(registry, { from: { id: 'u' }, text: 'hi' }, channelOf('x', {})),
    );

    expect(failure).toMatchObject({ code: 'SIMULATION_UNSUPPORTED', exitCode: EXIT.failed });
    expect(failure.message).toContain(
      'not supported for x channels (supported: facebook, telegram, test, webhook, whatsapp)',
    );
  });

  it('refuses a chat other than the customer on one-to-one providers, as a usage error', () => {
    const facebook = channelOf('facebook', { appSecret: 'c0ffee0123456789abcdef' }, '1122334455');

    const failure = failureOf(() =>
      simulateInboundRequest(registry, { chatId: 'someone-else', from: { id: '42' }, text: 'hi' }, facebook),
    );

    expect(failure).toMatchObject({ code: 'INVALID_ARGUMENT', exitCode: EXIT.usage });
  });

  it('refuses a channel the provider cannot simulate yet, naming what is missing', () => {
    const unregistered = channelOf('telegram', { token: '123456789:AAHfakeTokenForTheSimulatorSpec' });

    const failure = failureOf(() => simulateInboundRequest(registry, { from: { id: '42' }, text: 'hi' }, unregistered));

    expect(failure).toMatchObject({ code: 'SIMULATION_UNSUPPORTED', exitCode: EXIT.failed });
    expect(failure.message).toContain('webhookSecretToken');
  });
});
