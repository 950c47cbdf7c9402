import { Global, Module } from '@nestjs/common';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { SecretBox } from './crypto/secret-box';

@Global()
@Module({ providers: [SecretBox, AdminTokenGuard], exports: [SecretBox, AdminTokenGuard] })
export class CommonModule {}
