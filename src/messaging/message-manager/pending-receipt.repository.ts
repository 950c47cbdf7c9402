import { Injectable } from '@nestjs/common';
import { Transactions } from '../../database/transactions';
import type { ReceiptStatus } from '../contracts/unified-message';

/** A receipt kept until the send that produced its provider message id settles. */
export interface PendingReceiptRow {
  status: ReceiptStatus;
  error: string | null;
}

/** The only reader and writer of `pending_receipts`. */
@Injectable()
export class PendingReceiptRepository {
  constructor(private readonly transactions: Transactions) {}

  /**
   * Keeps a receipt for an outgoing message no stored message has the provider id of yet (the
   * provider's webhook can beat the answer of its own send call); a repeated one is kept once.
   */
  async keepIfUnknown(channelId: string, providerMessageId: string, receipt: PendingReceiptRow): Promise<void> {
    await this.transactions.manager.query(
      `INSERT INTO pending_receipts (channel_id, provider_message_id, status, error)
       SELECT $1::uuid, $2::varchar, $3::varchar, $4::text
        WHERE NOT EXISTS (SELECT 1 FROM messages WHERE channel_id = $1 AND direction = 'out' AND provider_message_id = $2)
       ON CONFLICT DO NOTHING`,
      [channelId, providerMessageId, receipt.status, receipt.error],
    );
  }

  /** Removes and returns the receipts kept for the provider message id. */
  async take(channelId: string, providerMessageId: string): Promise<PendingReceiptRow[]> {
    const [taken] = await this.transactions.manager.query<[PendingReceiptRow[], number]>(
      `DELETE FROM pending_receipts WHERE channel_id = $1 AND provider_message_id = $2 RETURNING status, error`,
      [channelId, providerMessageId],
    );
    return taken;
  }
}
