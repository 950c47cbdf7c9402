import { Global, Module } from '@nestjs/common';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { SecretBox } from './crypto/secret-box';

const GLOBAL_PROVIDERS = [SecretBox, AdminTokenGuard];

@Global()
@Module({ providers: GLOBAL_PROVIDERS, exports: GLOBAL_PROVIDERS })
export class CommonModule {}
