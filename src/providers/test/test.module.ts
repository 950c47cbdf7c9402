import { Module } from '@nestjs/common';
import { TestAttachmentsWorker } from './test.attachments.worker';
import { TestIncomeWorker } from './test.income.worker';
import { TestOutcomeWorker } from './test.outcome.worker';
import { TestProfileProvider } from './test.profile.provider';
import { TestRegistrationWorker } from './test.registration.worker';
import { TestInboundSimulator } from './test.simulator';

/** A sandbox provider for demos and tests: no account, no network. */
@Module({
  providers: [
    TestIncomeWorker,
    TestOutcomeWorker,
    TestProfileProvider,
    TestAttachmentsWorker,
    TestRegistrationWorker,
    TestInboundSimulator,
  ],
})
export class TestProviderModule {}
