import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `contacts`. */
@Injectable()
export class ContactRepository {
  constructor(private readonly transactions: Transactions) {}
}
