import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Operator } from '../operators/operator.entity';
import { OperatorRepository } from '../operators/operator.repository';
import { ChatRouter } from './chat-router.service';
import { CreateQueueDto, UpdateQueueDto } from './dto/queue.dto';
import { Queue } from './queue.entity';
import { QueueRepository } from './queue.repository';
import { QueueView, toQueueView } from './queue.view';
import { RoutingRuleRegistry } from './routing-rule.registry';
import { MANUAL_RULE_CODE } from './rules/manual.rule';

/** Admin operations on queues: their routing rule and members. A change wakes the router. */
@Injectable()
export class QueuesService {
  constructor(
    private readonly queues: QueueRepository,
    private readonly operators: OperatorRepository,
    private readonly rules: RoutingRuleRegistry,
    private readonly router: ChatRouter,
  ) {}

  async create(dto: CreateQueueDto): Promise<QueueView> {
    const routingRule = dto.routingRule ?? MANUAL_RULE_CODE;
    this.rules.get(routingRule);
    const members = await this.existingOperators(dto.operatorIds ?? []);
    const id = await this.queues.create({ name: dto.name, routingRule, members });
    this.router.wake();
    return this.get(id);
  }

  async list(): Promise<QueueView[]> {
    const queues = await this.queues.listWithMembers();
    return queues.map(toQueueView);
  }

  async get(id: string): Promise<QueueView> {
    return toQueueView(await this.find(id));
  }

  async update(id: string, dto: UpdateQueueDto): Promise<QueueView> {
    await this.find(id);
    if (dto.routingRule !== undefined) this.rules.get(dto.routingRule);
    const members = dto.operatorIds ? await this.existingOperators(dto.operatorIds) : undefined;
    await this.queues.update(id, { name: dto.name, routingRule: dto.routingRule, members });
    this.router.wake();
    return this.get(id);
  }

  /** Refused while chats wait in the queue: deleting it would leave them where no operator sees them. */
  async remove(id: string): Promise<void> {
    await this.find(id);
    if (await this.queues.hasWaitingChats(id)) {
      throw new AppError('CONFLICT', `Chats are waiting in queue ${id}; transfer or close them before deleting it`);
    }
    await this.queues.delete(id);
  }

  private async find(id: string): Promise<Queue> {
    const queue = await this.queues.findWithMembers(id);
    if (!queue) throw AppError.notFound('Queue', id);
    return queue;
  }

  private async existingOperators(ids: string[]): Promise<Operator[]> {
    const wanted = [...new Set(ids)];
    const found = await this.operators.findByIds(wanted);
    const missing = wanted.filter((id) => !found.some((operator) => operator.id === id));
    if (missing.length > 0) throw AppError.validation('operatorIds', `No operator has the id ${missing.join(', ')}`);
    return found;
  }
}
