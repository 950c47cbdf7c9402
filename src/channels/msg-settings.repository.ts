import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `msg_settings`. */
@Injectable()
export class MsgSettingsRepository {
  constructor(private readonly transactions: Transactions) {}
}
