import { createHmac } from 'node:crypto';
import { LoadRequest } from '../load';
import { seededRandom } from '../pseudo-random';

export interface CustomerMessage {
  /** Unique in the run: the message's id (and Telegram's update and message ids). */
  sequence: number;
  customer: number;
  text: string;
}

/** A provider's webhook format: the headers and body its servers would send for one customer message. */
export type InboundFormat = (message: CustomerMessage) => { headers: Record<string, string>; body: string };

/** The `webhook` provider: `{"messages":[…]}` signed with X-Signature-256 (README, "The custom webhook channel"). */
export function webhookFormat(secret: string): InboundFormat {
  return ({ sequence, customer, text }) => {
    const body = JSON.stringify({
      messages: [
        {
          id: `m-${sequence}`,
          chatId: `chat-${customer}`,
          from: { id: `customer-${customer}`, name: `Customer ${customer}` },
          text,
          timestamp: Math.floor(Date.now() / 1000),
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    return { headers: { 'content-type': 'application/json', 'x-signature-256': signature }, body };
  };
}

/** Telegram: one Update per request, authenticated by the secret token given to setWebhook. */
export function telegramFormat(secretToken: string): InboundFormat {
  return ({ sequence, customer, text }) => {
    const user = { id: 1_000_000 + customer, first_name: `Customer ${customer}` };
    const body = JSON.stringify({
      update_id: sequence,
      message: {
        message_id: sequence,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        from: user,
        text,
      },
    });
    return {
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secretToken },
      body,
    };
  };
}

/**
 * Customers writing to one channel: the warm-up opens a chat for each existing customer; after it,
 * a share of requests come from customers never seen before, the rest from existing ones at random.
 */
export class CustomerTraffic {
  private sequence = 0;
  private nextNewCustomer: number;
  private readonly random = seededRandom(6);

  constructor(
    private readonly path: string,
    private readonly format: InboundFormat,
    private readonly existingCustomers: number,
    private readonly newCustomerShare: number,
  ) {
    this.nextNewCustomer = existingCustomers;
  }

  /** The first message of existing customer number `n` (call with 0, 1, 2…). */
  openingRequest(customer: number): LoadRequest {
    return this.request(customer);
  }

  nextRequest(): LoadRequest {
    const isNew = this.random() < this.newCustomerShare;
    return this.request(isNew ? this.nextNewCustomer++ : Math.floor(this.random() * this.existingCustomers));
  }

  private request(customer: number): LoadRequest {
    const sequence = ++this.sequence;
    const text = `Hello, this is customer ${customer}; where is my order #${sequence}?`;
    return { method: 'POST', path: this.path, ...this.format({ sequence, customer, text }) };
  }
}
