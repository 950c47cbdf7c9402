import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../../common/auth/admin-token.guard';
import { secretsEqual } from '../../common/crypto/secret-box';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { Operator } from '../operator.entity';
import { OperatorRepository } from '../operator.repository';
import { hashOperatorToken } from '../operator-token';
import { OperatorTokenCache } from './operator-token.cache';
import { AuthenticatedRequest } from './principal';

/** Admits an operator's bearer token; with `allowAdmin`, the admin token too (as the supervisor). */
@Injectable() // emits the constructor's parameter types, which the subclasses inherit
abstract class PrincipalGuard implements CanActivate {
  protected abstract readonly allowAdmin: boolean;

  constructor(
    private readonly operators: OperatorRepository,
    private readonly config: AppConfig,
    private readonly cache: OperatorTokenCache,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    const token = bearerToken(request);
    if (token && this.allowAdmin && secretsEqual(token, this.config.adminToken)) {
      request.principal = { kind: 'admin' };
      return true;
    }
    const operator = token ? await this.operatorOf(hashOperatorToken(token)) : null;
    if (!operator) throw new AppError('UNAUTHORIZED', 'Send your operator token as "Authorization: Bearer <token>"');
    request.principal = { kind: 'operator', operator };
    return true;
  }

  private async operatorOf(tokenHash: string): Promise<Operator | null> {
    const cached = this.cache.get(tokenHash);
    if (cached) return cached;
    const operator = await this.operators.findByTokenHash(tokenHash);
    if (operator) this.cache.set(tokenHash, operator);
    return operator;
  }
}

@Injectable()
export class OperatorTokenGuard extends PrincipalGuard {
  protected readonly allowAdmin = false;
}

@Injectable()
export class OperatorOrAdminGuard extends PrincipalGuard {
  protected readonly allowAdmin = true;
}
