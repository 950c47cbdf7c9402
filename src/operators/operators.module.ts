import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RoutingModule } from '../routing/routing.module';
import { Operator } from './operator.entity';
import { OperatorSelfController, OperatorsAdminController } from './operators.controller';
import { OperatorStatusService } from './operator-status.service';
import { OperatorsService } from './operators.service';

@Module({
  imports: [RoutingModule, TypeOrmModule.forFeature([Operator])],
  controllers: [OperatorsAdminController, OperatorSelfController],
  providers: [OperatorsService, OperatorStatusService],
})
export class OperatorsModule {}
