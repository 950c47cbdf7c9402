import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { OperatorTokenCache } from './auth/operator-token.cache';
import { CreateOperatorDto, UpdateOperatorDto } from './dto/operator.dto';
import { Operator, OperatorStatus } from './operator.entity';
import { OperatorRepository } from './operator.repository';
import { newOperatorToken } from './operator-token';

export type OperatorWithToken = Operator & { token: string };

/** Admin operations on operators and their API tokens; every change drops the operator's cached token. */
@Injectable()
export class OperatorsService {
  constructor(
    private readonly operators: OperatorRepository,
    private readonly tokenCache: OperatorTokenCache,
  ) {}

  /** Creates the operator; the returned token is never shown again. */
  async create(dto: CreateOperatorDto): Promise<OperatorWithToken> {
    const { token, hash } = newOperatorToken();
    const id = await this.operators.create({
      name: dto.name,
      email: dto.email.toLowerCase(),
      maxActiveChats: dto.maxActiveChats ?? 5,
      tokenHash: hash,
    });
    return { ...(await this.get(id)), token };
  }

  list(): Promise<Operator[]> {
    return this.operators.list();
  }

  async get(id: string): Promise<Operator> {
    const operator = await this.operators.findById(id);
    if (!operator) throw AppError.notFound('Operator', id);
    return operator;
  }

  async update(id: string, dto: UpdateOperatorDto): Promise<Operator> {
    await this.get(id);
    await this.operators.update(id, { ...dto, ...(dto.email ? { email: dto.email.toLowerCase() } : {}) });
    this.tokenCache.forgetOperator(id);
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.operators.delete(id);
    this.tokenCache.forgetOperator(id);
  }

  /** Replaces the token; the old one stops working at once. */
  async rotateToken(id: string): Promise<OperatorWithToken> {
    await this.get(id);
    const { token, hash } = newOperatorToken();
    await this.operators.update(id, { tokenHash: hash });
    this.tokenCache.forgetOperator(id);
    return { ...(await this.get(id)), token };
  }

  async setStatus(id: string, status: OperatorStatus): Promise<Operator> {
    await this.operators.setStatus(id, status);
    this.tokenCache.forgetOperator(id);
    return this.get(id);
  }
}
