import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { CreateOperatorDto, UpdateOperatorDto } from './dto/operator.dto';
import { Operator, OperatorStatus } from './operator.entity';
import { OperatorTokenCache } from '../common/auth/operator-token.cache';
import { newOperatorToken } from './operator-token';

export type OperatorWithToken = Operator & { token: string };

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class OperatorsService {
  constructor(
    @InjectRepository(Operator) private readonly operators: Repository<Operator>,
    private readonly tokenCache: OperatorTokenCache,
  ) {}

  /** Creates the operator; the returned token is never shown again. */
  async create(dto: CreateOperatorDto): Promise<OperatorWithToken> {
    const { token, hash } = newOperatorToken();
    const operator = await this.saveUnique(() =>
      this.operators.save({
        name: dto.name,
        email: dto.email.toLowerCase(),
        maxActiveChats: dto.maxActiveChats ?? 5,
        tokenHash: hash,
      }),
    );
    return { ...(await this.get(operator.id)), token };
  }

  list(): Promise<Operator[]> {
    return this.operators.find({ order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<Operator> {
    const operator = await this.operators.findOneBy({ id });
    if (!operator) throw AppError.notFound('Operator', id);
    return operator;
  }

  async update(id: string, dto: UpdateOperatorDto): Promise<Operator> {
    await this.get(id);
    await this.saveUnique(() =>
      this.operators.update(id, { ...dto, ...(dto.email ? { email: dto.email.toLowerCase() } : {}) }),
    );
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
    await this.operators.update(id, { status });
    this.tokenCache.forgetOperator(id);
    return this.get(id);
  }

  private async saveUnique<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof QueryFailedError && (error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new AppError('CONFLICT', 'Another operator already has this email', 'email');
      }
      throw error;
    }
  }
}
