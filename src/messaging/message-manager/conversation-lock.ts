import { EntityManager } from 'typeorm';

/**
 * The advisory-lock name of a conversation. Outbound writers take it here; inbound ones take the
 * same name inside the store_inbound_messages function, so the two never interleave in one chat.
 */
export const conversationLockKey = (channelId: string, externalChatId: string) => `${channelId}:chat:${externalChatId}`;

/**
 * Takes transaction-scoped advisory locks, sorted, so two transactions sharing conversations
 * take them in the same order and cannot deadlock. Everyone writing a chat's messages holds its
 * conversation lock first, which keeps per-chat sequence numbers gap-free and unique.
 */
export async function lockConversations(manager: EntityManager, keys: Iterable<string>): Promise<void> {
  await manager.query(
    `SELECT pg_advisory_xact_lock(key) FROM (
       SELECT DISTINCT hashtextextended(name, 0) AS key FROM unnest($1::text[]) AS name ORDER BY 1) AS keys`,
    [[...new Set(keys)]],
  );
}
