import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../auth/admin-token.guard';

/**
 * Rate limits every API caller, across all routes: by token when one is sent (so agents behind one
 * NAT do not share a budget), else by IP. Counters live in each instance's memory, so N instances allow N times the limit.
 */
@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as FastifyRequest;
    const token = bearerToken(request);
    const tracker = token ? `token:${createHash('sha256').update(token).digest('hex')}` : `ip:${request.ip}`;
    return Promise.resolve(tracker);
  }

  /** One budget per caller across all routes (the default would give each route its own). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
