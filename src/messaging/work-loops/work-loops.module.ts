import { Global, Module } from '@nestjs/common';
import { WorkLoops } from './work-loops.service';

/** The registry of every loop; global, since owners of loops live in every area. */
@Global()
@Module({ providers: [WorkLoops], exports: [WorkLoops] })
export class WorkLoopsModule {}
