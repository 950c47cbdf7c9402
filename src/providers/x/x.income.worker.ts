import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { IncomeMessageWorker } from '../../messaging/contracts/provider-workers';
import { InboundEvent } from '../../messaging/contracts/unified-message';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { XSettings } from './x.settings.dto';

/** X channels are polled (see XInboundPoller): their webhook URL refuses every request. */
@Injectable()
@MessengerProvider({ code: 'x', role: 'income' })
export class XIncomeWorker implements IncomeMessageWorker<XSettings> {
  verify(): void {
    throw new AppError('INVALID_SIGNATURE', 'X channels are polled; they take no webhooks');
  }

  parse(): InboundEvent[] {
    return [];
  }
}
