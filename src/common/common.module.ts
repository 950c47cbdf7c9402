import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { SecretBox } from './crypto/secret-box';
import { ProviderHttpOptions } from './http/provider-http-options';

const GLOBAL_PROVIDERS = [SecretBox, AdminTokenGuard];

@Global()
@Module({
  providers: [
    ...GLOBAL_PROVIDERS,
    {
      provide: ProviderHttpOptions,
      useFactory: (config: AppConfig) => ProviderHttpOptions.fromConfig(config),
      inject: [AppConfig],
    },
  ],
  exports: [...GLOBAL_PROVIDERS, ProviderHttpOptions],
})
export class CommonModule {}
