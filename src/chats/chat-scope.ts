import type { Principal } from '../common/auth/principal';

/** True for the supervisor, whose parameter is null; it still names the parameter, which Postgres requires. */
const SUPERVISOR = (param: string) => `${param}::uuid IS NULL`;
const MY_QUEUES = (param: string) => `(SELECT queue_id FROM queue_members WHERE operator_id = ${param})`;

/**
 * SQL conditions (on alias `c`) limiting chats to what the caller may touch. The supervisor
 * (admin token) sees every chat; `param` is the placeholder bound to `scopeParameter(principal)`.
 */
export const chatScope = {
  /** May read: an operator's own chats and every chat of their queues. */
  readable(principal: Principal, param: string): string {
    if (principal.kind === 'admin') return SUPERVISOR(param);
    return `(c.operator_id = ${param} OR c.queue_id IN ${MY_QUEUES(param)})`;
  },

  /** Their work list: own chats, and chats waiting unassigned in their queues. */
  listed(principal: Principal, param: string): string {
    if (principal.kind === 'admin') return SUPERVISOR(param);
    return `(c.operator_id = ${param} OR (c.operator_id IS NULL AND c.queue_id IN ${MY_QUEUES(param)}))`;
  },
};

export function scopeParameter(principal: Principal): string | null {
  return principal.kind === 'operator' ? principal.operator.id : null;
}
