import { Queue } from './queue.entity';

export interface QueueView {
  id: string;
  name: string;
  routingRule: string;
  /** The members' ids, sorted. */
  operatorIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

export function toQueueView(queue: Queue): QueueView {
  return {
    id: queue.id,
    name: queue.name,
    routingRule: queue.routingRule,
    operatorIds: (queue.members ?? []).map((operator) => operator.id).sort(),
    createdAt: queue.createdAt,
    updatedAt: queue.updatedAt,
  };
}
