import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';

/** Serves the agent console and the admin page; they talk to the API like any other client. */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
