import { Injectable } from '@nestjs/common';
import { ChatRouter } from '../routing/chat-router.service';
import { Operator, OperatorStatus } from './operator.entity';
import { OperatorsService } from './operators.service';

/** Status changes move chats: going offline hands back queued offers, coming online asks routing for work. */
@Injectable()
export class OperatorStatusService {
  constructor(
    private readonly operators: OperatorsService,
    private readonly router: ChatRouter,
  ) {}

  async setStatus(operatorId: string, status: OperatorStatus): Promise<Operator> {
    const operator = await this.operators.setStatus(operatorId, status);
    if (status === 'offline') await this.router.releaseOffers(operatorId);
    if (status === 'online') this.router.wake();
    return operator;
  }
}
