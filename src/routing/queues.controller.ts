import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../common/auth/admin-token.guard';
import { UuidPipe } from '../common/http/uuid.pipe';
import { CreateQueueDto, UpdateQueueDto } from './dto/queue.dto';
import { QueueView } from './queue.view';
import { QueuesService } from './queues.service';

const queueId = new UuidPipe('Queue');

@Controller('admin/queues')
@UseGuards(AdminTokenGuard)
export class QueuesController {
  constructor(private readonly queues: QueuesService) {}

  @Post()
  create(@Body() dto: CreateQueueDto): Promise<QueueView> {
    return this.queues.create(dto);
  }

  @Get()
  list(): Promise<QueueView[]> {
    return this.queues.list();
  }

  @Get(':id')
  get(@Param('id', queueId) id: string): Promise<QueueView> {
    return this.queues.get(id);
  }

  @Patch(':id')
  update(@Param('id', queueId) id: string, @Body() dto: UpdateQueueDto): Promise<QueueView> {
    return this.queues.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', queueId) id: string): Promise<void> {
    return this.queues.remove(id);
  }
}
