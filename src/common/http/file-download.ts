import { HttpService } from '@nestjs/axios';
import { isAxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import { ProviderError } from '../../messaging/contracts/provider-error';
import type { DownloadedFile } from '../../messaging/contracts/provider-workers';
import { classifyHttpFailure } from './provider-http-errors';

export interface FileDownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  headers?: Record<string, string>;
  /** The provider's words from an error body, for the failure message. */
  reason: (body: unknown) => string | undefined;
}

/** GETs a file with a size cap and a timeout; failures come back classified as ProviderError. */
export async function downloadFile(
  http: HttpService,
  url: string,
  options: FileDownloadOptions,
): Promise<DownloadedFile> {
  try {
    const response = await firstValueFrom(
      http.get<ArrayBuffer>(url, {
        responseType: 'arraybuffer',
        timeout: options.timeoutMs,
        maxContentLength: options.maxBytes,
        headers: options.headers,
      }),
    );
    return { content: Buffer.from(response.data), mimeType: String(response.headers['content-type'] ?? '') };
  } catch (error) {
    if (isAxiosError(error) && error.message.includes('maxContentLength')) {
      throw new ProviderError('PERMANENT', `the file is larger than ATTACHMENT_MAX_BYTES (${options.maxBytes} bytes)`);
    }
    throw classifyHttpFailure(error, (body) => options.reason(decodeBody(body)));
  }
}

/** Error bodies of binary downloads arrive as bytes: JSON when it parses, else text. */
export function decodeBody(body: unknown): unknown {
  const bytes = Buffer.isBuffer(body) ? body : body instanceof ArrayBuffer ? Buffer.from(body) : undefined;
  if (!bytes) return body;
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
