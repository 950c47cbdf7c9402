import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `operators`. */
@Injectable()
export class OperatorRepository {
  constructor(private readonly transactions: Transactions) {}
}
