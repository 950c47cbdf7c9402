import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { OperatorSelfController, OperatorsAdminController } from './operators.controller';
import { OperatorStatusService } from './operator-status.service';
import { OperatorsService } from './operators.service';

@Module({
  imports: [RoutingModule],
  controllers: [OperatorsAdminController, OperatorSelfController],
  providers: [OperatorsService, OperatorStatusService],
})
export class OperatorsModule {}
