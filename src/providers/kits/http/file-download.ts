import { HttpService } from '@nestjs/axios';
import { isAxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import { ProviderError } from '../../../messaging/contracts/provider-error';
import type { DownloadedFile } from '../../../messaging/contracts/provider-workers';
import { isPrivateHost, PRIVATE_NETWORK_HINT } from '../../../common/http/private-network';
import { classifyHttpFailure } from './provider-http-errors';
import type { ProviderHttpOptions } from '../../../common/http/provider-http-options';

export interface FileDownloadOptions {
  headers?: Record<string, string>;
  /** The provider's words from an error body, for the failure message. */
  reason: (body: unknown) => string | undefined;
}

/**
 * GETs an attachment or picture safely: size cap (ATTACHMENT_MAX_BYTES), timeout, no private
 * addresses (unless ALLOW_PRIVATE_NETWORK_FETCH), no redirect to another host, and no web page
 * where a file was expected. Failures come back classified as ProviderError.
 */
export async function downloadFile(
  http: HttpService,
  url: string,
  httpOptions: ProviderHttpOptions,
  options: FileDownloadOptions,
): Promise<DownloadedFile> {
  const target = new URL(url);
  if (!httpOptions.allowPrivateNetwork) await refusePrivateHost(target.hostname);
  const maxBytes = httpOptions.maxDownloadBytes;
  try {
    const response = await firstValueFrom(
      http.get<ArrayBuffer>(url, {
        responseType: 'arraybuffer',
        timeout: httpOptions.timeoutMs,
        maxContentLength: maxBytes,
        headers: options.headers,
        beforeRedirect: (redirect: { hostname?: string }) => {
          if (redirect.hostname !== target.hostname) {
            throw new ProviderError('PERMANENT', `refused a redirect from ${target.hostname} to another host`);
          }
        },
      }),
    );
    const mimeType = String(response.headers['content-type'] ?? '');
    if (/^text\/html\b/i.test(mimeType))
      throw new ProviderError('PERMANENT', 'the URL answered a web page, not a file');
    return { content: Buffer.from(response.data), mimeType };
  } catch (error) {
    const refusal = providerErrorIn(error);
    if (refusal) throw refusal;
    if (isAxiosError(error) && error.message.includes('maxContentLength')) {
      throw new ProviderError('PERMANENT', `the file is larger than ATTACHMENT_MAX_BYTES (${maxBytes} bytes)`);
    }
    throw classifyHttpFailure(error, (body) => options.reason(decodeBody(body)));
  }
}

/** Our own refusal, thrown in a redirect hook, arrives wrapped by axios and follow-redirects. */
function providerErrorIn(error: unknown): ProviderError | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ProviderError) return cause;
  }
  return undefined;
}

async function refusePrivateHost(hostname: string): Promise<void> {
  if (await isPrivateHost(hostname)) {
    throw new ProviderError(
      'PERMANENT',
      `refused to fetch from ${hostname}: it is a private address (${PRIVATE_NETWORK_HINT})`,
    );
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
