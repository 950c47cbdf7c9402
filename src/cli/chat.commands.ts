import { Command, Option } from 'commander';
import { randomUUID } from 'node:crypto';
import { ChatRepository, ChatView } from '../chats/chat.repository';
import { ChatsService } from '../chats/chats.service';
import { MessageRepository, MessageView } from '../chats/message.repository';
import { ChannelContextLoader } from '../messaging/channel-context/channel-context.loader';
import { OutboundDispatcher } from '../messaging/delivery/outbound-dispatcher.service';
import { MessageManager } from '../messaging/message-manager/message-manager.service';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';
import { CliApplication } from './cli-application';
import { EXIT, table, timestamp } from './cli-output';
import { parse, runWithApplication } from './cli-command';
import { reportDelivery } from './delivery-outcome.waiter';
import { simulateInboundRequest } from './inbound-request.simulator';

interface SimulateOptions {
  chat?: string;
  from: string;
  name?: string;
  text: string;
  id?: string;
}

interface SendOptions {
  text: string;
  clientId?: string;
  timeout: number;
}

/** `simulate-inbound`, `send` and `show-chat`: a conversation end to end, without the messenger. */
export function registerChatCommands(program: Command): void {
  program
    .command('simulate-inbound')
    .description("post a customer message to a channel as its provider would: signed, through the webhook's path")
    .argument('<channelId>', 'the channel id', parse.uuid('channelId'))
    .requiredOption('--from <userId>', "the customer's id in the messenger")
    .requiredOption('--text <text>', 'the message text')
    .option('--chat <externalChatId>', "the messenger's chat id (default: the --from id)")
    .option('--name <name>', "the customer's display name")
    .option('--id <messageId>', "the messenger's message id, the deduplication key (default: a new one)")
    .action((channelId: string, options: SimulateOptions, command: Command) =>
      runWithApplication(command, async ({ app, out }) => {
        const { context } = await app.get(ChannelContextLoader).load(channelId);
        const request = simulateInboundRequest(
          app.get(ProviderRegistry),
          { id: options.id, chatId: options.chat, from: { id: options.from, name: options.name }, text: options.text },
          context,
        );
        const { stored, duplicates, statusUpdates, messageIds } = await app
          .get(MessageManager)
          .receive(channelId, request);
        const chatId = await chatOf(app, channelId, messageIds, options.chat ?? options.from);
        out.result({ channelId, chatId, stored, duplicates, statusUpdates, messageIds }, (result) => [
          `stored ${result.stored}, duplicates ${result.duplicates}, status updates ${result.statusUpdates}`,
          result.chatId ? `chat ${result.chatId}` : 'no chat (the provider left the message out)',
        ]);
        return EXIT.ok;
      }),
    );

  program
    .command('send')
    .description('send a message to a chat as a supervisor and wait until the provider took it or it failed')
    .argument('<chatId>', 'the chat id', parse.uuid('chatId'))
    .requiredOption('--text <text>', 'the message text')
    .option('--client-id <key>', 'idempotency key: the same key again returns the first message (default: a new one)')
    .addOption(
      new Option('--timeout <seconds>', 'how long to wait for the outcome')
        .default(30)
        .argParser(parse.integer(1, 3600)),
    )
    .action((chatId: string, options: SendOptions, command: Command) =>
      runWithApplication(
        command,
        async ({ app, out }) => {
          const message = await app
            .get(MessageManager)
            .send(
              chatId,
              { text: options.text, clientMessageId: options.clientId ?? `cli-${randomUUID()}` },
              { type: 'supervisor', id: null },
            );
          if (message.status === 'queued' || message.status === 'sending') {
            out.note(`message ${message.id} queued; waiting for the outcome (up to ${options.timeout} s)`);
          }
          return reportDelivery(app, out, message.id, options.timeout);
        },
        // Sending delivers: the dispatcher's loop runs while the command waits.
        [OutboundDispatcher.LOOP],
      ),
    );

  program
    .command('show-chat')
    .description('show a chat and its last messages, oldest first')
    .argument('<chatId>', 'the chat id', parse.uuid('chatId'))
    .addOption(new Option('--limit <n>', 'how many of the last messages').default(20).argParser(parse.integer(1, 100)))
    .action((chatId: string, options: { limit: number }, command: Command) =>
      runWithApplication(command, async ({ app, out }) => {
        const chat = await app.get(ChatsService).get({ kind: 'admin' }, chatId);
        const page = await app.get(MessageManager).getMessagesByChatId(chatId, { limit: options.limit });
        out.result({ chat, messages: page.items, nextCursor: page.nextCursor }, ({ messages }) =>
          describeChat(chat, messages),
        );
        return EXIT.ok;
      }),
    );
}

/** The chat the stored message went to; for a duplicate, the conversation's latest chat. */
function chatOf(
  app: CliApplication,
  channelId: string,
  messageIds: string[],
  externalChatId: string,
): Promise<string | null> {
  return messageIds.length
    ? app.get(MessageRepository).chatIdOf(messageIds[0])
    : app.get(ChatRepository).latestInConversation(channelId, externalChatId);
}

function describeChat(chat: ChatView, messages: MessageView[]): string[] {
  const assignee = chat.operatorId ? `operator ${chat.operatorId}` : chat.queueId ? `queue ${chat.queueId}` : 'nobody';
  const lines = [
    `chat ${chat.id} (${chat.status})`,
    `  channel:  ${chat.channel.name} (${chat.channel.provider}), external chat id ${chat.externalChatId}`,
    `  contact:  ${chat.contact.name} (${chat.contact.id})`,
    `  assigned: ${assignee}; unread ${chat.unreadCount}`,
  ];
  if (messages.length === 0) return [...lines, 'no messages'];
  const rows = [...messages]
    .reverse()
    .map((message) => [
      `#${message.id}`,
      timestamp(message.sentAt ?? message.createdAt),
      message.direction,
      message.senderType,
      message.status + (message.error ? ` (${message.error})` : ''),
      (message.text ?? '') + (message.attachments.length ? ` [${message.attachments.length} attachment(s)]` : ''),
    ]);
  return [...lines, '', ...table([['id', 'time (UTC)', 'dir', 'sender', 'status', 'text'], ...rows])];
}
