import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, QueryFailedError, Repository } from 'typeorm';
import { Chat } from '../chats/chat.entity';
import { AppError } from '../common/errors/app-error';
import { Operator } from '../operators/operator.entity';
import { ChatRouter } from './chat-router.service';
import { CreateQueueDto, UpdateQueueDto } from './dto/queue.dto';
import { Queue } from './queue.entity';
import { QueueView, toQueueView } from './queue.view';
import { RoutingRuleRegistry } from './routing-rule.registry';
import { MANUAL_RULE_CODE } from './rules/manual.rule';

const UNIQUE_VIOLATION = '23505';

/** Admin operations on queues: their routing rule and members. A change wakes the router. */
@Injectable()
export class QueuesService {
  constructor(
    @InjectRepository(Queue) private readonly queues: Repository<Queue>,
    @InjectRepository(Operator) private readonly operators: Repository<Operator>,
    @InjectRepository(Chat) private readonly chats: Repository<Chat>,
    private readonly rules: RoutingRuleRegistry,
    private readonly router: ChatRouter,
  ) {}

  async create(dto: CreateQueueDto): Promise<QueueView> {
    const routingRule = dto.routingRule ?? MANUAL_RULE_CODE;
    this.rules.get(routingRule);
    const members = await this.existingOperators(dto.operatorIds ?? []);
    const queue = await this.saveWithUniqueName(() => this.queues.save({ name: dto.name, routingRule, members }));
    this.router.wake();
    return this.get(queue.id);
  }

  async list(): Promise<QueueView[]> {
    const queues = await this.queues.find({ relations: { members: true }, order: { createdAt: 'ASC' } });
    return queues.map(toQueueView);
  }

  async get(id: string): Promise<QueueView> {
    return toQueueView(await this.find(id));
  }

  async update(id: string, dto: UpdateQueueDto): Promise<QueueView> {
    await this.find(id);
    if (dto.routingRule !== undefined) this.rules.get(dto.routingRule);
    const members = dto.operatorIds ? await this.existingOperators(dto.operatorIds) : undefined;
    await this.saveWithUniqueName(() =>
      this.queues.save({ id, name: dto.name, routingRule: dto.routingRule, members }),
    );
    this.router.wake();
    return this.get(id);
  }

  /** Refused while chats wait in the queue: deleting it would leave them where no operator sees them. */
  async remove(id: string): Promise<void> {
    await this.find(id);
    if (await this.chats.existsBy({ queueId: id, status: 'queued' })) {
      throw new AppError('CONFLICT', `Chats are waiting in queue ${id}; transfer or close them before deleting it`);
    }
    await this.queues.delete(id);
  }

  private async find(id: string): Promise<Queue> {
    const queue = await this.queues.findOne({ where: { id }, relations: { members: true } });
    if (!queue) throw AppError.notFound('Queue', id);
    return queue;
  }

  private async existingOperators(ids: string[]): Promise<Operator[]> {
    const wanted = [...new Set(ids)];
    const found = await this.operators.findBy({ id: In(wanted) });
    const missing = wanted.filter((id) => !found.some((operator) => operator.id === id));
    if (missing.length > 0) throw AppError.validation('operatorIds', `No operator has the id ${missing.join(', ')}`);
    return found;
  }

  private async saveWithUniqueName<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof QueryFailedError && (error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new AppError('CONFLICT', 'Another queue already has this name', 'name');
      }
      throw error;
    }
  }
}
