import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinTable,
  ManyToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Operator } from '../operators/operator.entity';

/** Where chats wait for an agent; `routingRule` names the rule that assigns them. */
@Entity('queues')
export class Queue {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 64, default: 'manual' })
  routingRule: string;

  @ManyToMany(() => Operator)
  @JoinTable({
    name: 'queue_members',
    joinColumn: { name: 'queue_id' },
    inverseJoinColumn: { name: 'operator_id' },
  })
  members?: Operator[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
