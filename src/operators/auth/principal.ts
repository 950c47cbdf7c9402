import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Operator } from '../operator.entity';

/** Who is calling: the admin (supervisor, sees everything) or one operator (sees their chats and queues). */
export type Principal = { kind: 'admin' } | { kind: 'operator'; operator: Operator };

export interface AuthenticatedRequest {
  principal?: Principal;
}

/** The caller set by the guard on this route. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal!,
);

/** The operator whose access rule applies, or null for the supervisor, who may read every chat. */
export function readerOperatorId(principal: Principal): string | null {
  return principal.kind === 'operator' ? principal.operator.id : null;
}
