import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { ChannelProvidersService } from './channel-providers.service';
import { ChannelsController, ProvidersController } from './channels.controller';
import { ChannelsService } from './channels.service';

@Module({
  imports: [MessagingModule],
  controllers: [ChannelsController, ProvidersController],
  providers: [ChannelsService, ChannelProvidersService],
})
export class ChannelsModule {}
