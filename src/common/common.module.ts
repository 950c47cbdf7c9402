import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Operator } from '../operators/operator.entity';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { OperatorTokenCache } from './auth/operator-token.cache';
import { OperatorOrAdminGuard, OperatorTokenGuard } from './auth/operator-token.guard';
import { SecretBox } from './crypto/secret-box';

const GLOBAL_PROVIDERS = [SecretBox, AdminTokenGuard, OperatorTokenGuard, OperatorOrAdminGuard, OperatorTokenCache];

// Guards are instantiated in the module of the controller that uses them, so the Operator repository is exported too.
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Operator])],
  providers: GLOBAL_PROVIDERS,
  exports: [...GLOBAL_PROVIDERS, TypeOrmModule],
})
export class CommonModule {}
