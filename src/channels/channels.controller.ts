import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../common/auth/admin-token.guard';
import { UuidPipe } from '../common/http/uuid.pipe';
import { ChannelProvider } from './channel-provider.entity';
import { ChannelProvidersService } from './channel-providers.service';
import { ChannelView } from './channel.view';
import { ChannelCheckResult, ChannelsService } from './channels.service';
import { RegisterChannelDto, UpdateChannelDto } from './dto/channel.dto';

const channelId = new UuidPipe('Channel');

@Controller('admin/channels')
@UseGuards(AdminTokenGuard)
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post()
  register(@Body() dto: RegisterChannelDto): Promise<ChannelView> {
    return this.channels.register(dto);
  }

  @Get()
  list(): Promise<ChannelView[]> {
    return this.channels.list();
  }

  @Get(':id')
  get(@Param('id', channelId) id: string): Promise<ChannelView> {
    return this.channels.get(id);
  }

  @Patch(':id')
  update(@Param('id', channelId) id: string, @Body() dto: UpdateChannelDto): Promise<ChannelView> {
    return this.channels.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', channelId) id: string): Promise<void> {
    return this.channels.remove(id);
  }

  @Post(':id/test')
  @HttpCode(200)
  test(@Param('id', channelId) id: string): Promise<ChannelCheckResult> {
    return this.channels.check(id);
  }
}

@Controller('admin/providers')
@UseGuards(AdminTokenGuard)
export class ProvidersController {
  constructor(private readonly providers: ChannelProvidersService) {}

  @Get()
  list(): Promise<ChannelProvider[]> {
    return this.providers.list();
  }
}
