import type { Type } from '@nestjs/common';
import type { UrlSecrets } from '../../common/http/loggable-urls';

/**
 * A provider's Nest module, as src/providers/index.ts lists it. Besides registering the workers it
 * declares, as static data read before the application starts, what logs must redact.
 */
export interface ProviderModule extends Type<unknown> {
  readonly urlSecrets?: UrlSecrets;
}
