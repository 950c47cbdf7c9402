import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `contact_identities`. */
@Injectable()
export class ContactIdentityRepository {
  constructor(private readonly transactions: Transactions) {}
}
