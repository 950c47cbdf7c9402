import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '../common/auth/admin-token.guard';
import { OperatorTokenGuard } from './auth/operator-token.guard';
import { CurrentPrincipal, type Principal } from './auth/principal';
import { UuidPipe } from '../common/http/uuid.pipe';
import { CreateOperatorDto, SetOperatorStatusDto, UpdateOperatorDto } from './dto/operator.dto';
import { Operator } from './operator.entity';
import { OperatorStatusService } from './operator-status.service';
import { OperatorsService, OperatorWithToken } from './operators.service';

const operatorId = new UuidPipe('Operator');

@Controller('admin/operators')
@UseGuards(AdminTokenGuard)
export class OperatorsAdminController {
  constructor(private readonly operators: OperatorsService) {}

  /** The answer carries the operator's API token: the only time it is shown. */
  @Post()
  create(@Body() dto: CreateOperatorDto): Promise<OperatorWithToken> {
    return this.operators.create(dto);
  }

  @Get()
  list(): Promise<Operator[]> {
    return this.operators.list();
  }

  @Get(':id')
  get(@Param('id', operatorId) id: string): Promise<Operator> {
    return this.operators.get(id);
  }

  @Patch(':id')
  update(@Param('id', operatorId) id: string, @Body() dto: UpdateOperatorDto): Promise<Operator> {
    return this.operators.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', operatorId) id: string): Promise<void> {
    return this.operators.remove(id);
  }

  @Post(':id/token')
  rotateToken(@Param('id', operatorId) id: string): Promise<OperatorWithToken> {
    return this.operators.rotateToken(id);
  }
}

/** OmnichannelOperatorService: the calling operator's own profile and status. */
@Controller('operators/me')
@UseGuards(OperatorTokenGuard)
export class OperatorSelfController {
  constructor(
    private readonly operators: OperatorsService,
    private readonly status: OperatorStatusService,
  ) {}

  @Get()
  me(@CurrentPrincipal() principal: Principal): Promise<Operator> {
    return this.operators.get(operatorOf(principal).id);
  }

  @Put('status')
  setStatus(@CurrentPrincipal() principal: Principal, @Body() dto: SetOperatorStatusDto): Promise<Operator> {
    return this.status.setStatus(operatorOf(principal).id, dto.status);
  }
}

function operatorOf(principal: Principal): Operator {
  if (principal.kind !== 'operator') throw new Error('OperatorTokenGuard admits operators only');
  return principal.operator;
}
