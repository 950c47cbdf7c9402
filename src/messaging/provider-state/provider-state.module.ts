import { Global, Module } from '@nestjs/common';
import { ProviderStateStore } from '../contracts/provider-state-store';
import { ProviderStateRepository } from './provider-state.repository';

/** Global so that provider modules, which import no core module, can inject ProviderStateStore. */
@Global()
@Module({
  providers: [{ provide: ProviderStateStore, useExisting: ProviderStateRepository }],
  exports: [ProviderStateStore],
})
export class ProviderStateModule {}
