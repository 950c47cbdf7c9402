import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule } from '../messaging/messaging.module';
import { ChannelProvider } from './channel-provider.entity';
import { ChannelProvidersService } from './channel-providers.service';
import { Channel } from './channel.entity';
import { ChannelsController, ProvidersController } from './channels.controller';
import { ChannelsService } from './channels.service';

@Module({
  imports: [MessagingModule, TypeOrmModule.forFeature([Channel, ChannelProvider])],
  controllers: [ChannelsController, ProvidersController],
  providers: [ChannelsService, ChannelProvidersService],
})
export class ChannelsModule {}
