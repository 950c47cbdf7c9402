import { Controller, Get, Param, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../common/errors/app-error';

/** Beside this file both in src (ts-node, jest) and in dist (nest-cli.json copies it as an asset). */
export const CONSOLE_PUBLIC_DIR = join(__dirname, 'public');

/** The only files served from CONSOLE_PUBLIC_DIR under /console/assets, with their types. */
const CONSOLE_ASSETS: Readonly<Record<string, string>> = {
  'api.js': 'text/javascript; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'admin.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

/** The pages hold no data and render everything as text; the policy forbids anything but this origin. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * The agent console (`/console`) and the admin page (`/console/admin`). They are public because they
 * hold no data: they sign in with a token kept in the tab, and every API call they make carries it.
 */
@Controller('console')
@SkipThrottle()
export class ConsoleController {
  @Get()
  agentPage(@Res() reply: FastifyReply): Promise<void> {
    return sendConsoleFile(reply, 'index.html', 'text/html; charset=utf-8');
  }

  @Get('admin')
  adminPage(@Res() reply: FastifyReply): Promise<void> {
    return sendConsoleFile(reply, 'admin.html', 'text/html; charset=utf-8');
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    if (!Object.hasOwn(CONSOLE_ASSETS, file)) throw AppError.notFound('Console asset', file);
    return sendConsoleFile(reply, file, CONSOLE_ASSETS[file]);
  }
}

async function sendConsoleFile(reply: FastifyReply, file: string, contentType: string): Promise<void> {
  const content = await readFile(join(CONSOLE_PUBLIC_DIR, file));
  void reply
    .status(200)
    .headers({ ...SECURITY_HEADERS, 'content-type': contentType })
    .send(content);
}
