import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { SecretBox } from '../../common/crypto/secret-box';
import { AppError } from '../../common/errors/app-error';
import { validationErrorsToAppError } from '../../common/errors/validation-errors';
import { secretSettingFields } from '../contracts/secret-setting.decorator';
import { ProviderRegistry } from '../registry/provider-registry.service';

export const REDACTED = '********';
type Settings = Record<string, unknown>;

/** Validates a provider's settings with its DTO, encrypts its secret fields at rest, and redacts them for display. */
@Injectable()
export class ChannelSettingsCodec {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly secretBox: SecretBox,
  ) {}

  /** The settings as the provider DTO accepts them; AppError naming `settings.<field>` otherwise. */
  validate(provider: string, settings: unknown): Settings {
    const { settingsType } = this.registry.get(provider).registration;
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      throw AppError.validation('settings', 'settings must be an object');
    }
    const instance = plainToInstance(settingsType, settings) as object;
    const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw validationErrorsToAppError(errors, 'settings');
    return { ...instance };
  }

  encrypt(provider: string, settings: Settings): Settings {
    return this.mapSecrets(provider, settings, (value) => this.secretBox.encrypt(value));
  }

  decrypt(provider: string, stored: Settings): Settings {
    return this.mapSecrets(provider, stored, (value) => this.secretBox.decrypt(value));
  }

  redact(provider: string, settings: Settings): Settings {
    return this.mapSecrets(provider, settings, () => REDACTED);
  }

  private mapSecrets(provider: string, settings: Settings, map: (value: string) => string): Settings {
    const secrets = secretSettingFields(this.registry.get(provider).registration.settingsType);
    return Object.fromEntries(
      Object.entries(settings).map(([key, value]) =>
        secrets.includes(key) && typeof value === 'string' ? [key, map(value)] : [key, value],
      ),
    );
  }
}
