import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';

/** The only reader and writer of `jobs`. */
@Injectable()
export class JobRepository {
  constructor(private readonly transactions: Transactions) {}
}
