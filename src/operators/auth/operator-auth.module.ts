import { Global, Module } from '@nestjs/common';
import { OperatorTokenCache } from './operator-token.cache';
import { OperatorOrAdminGuard, OperatorTokenGuard } from './operator-token.guard';

const OPERATOR_AUTH = [OperatorTokenGuard, OperatorOrAdminGuard, OperatorTokenCache];

/** The operator-token guards; global because a guard is instantiated in the module of each controller using it. */
@Global()
@Module({ providers: OPERATOR_AUTH, exports: OPERATOR_AUTH })
export class OperatorAuthModule {}
