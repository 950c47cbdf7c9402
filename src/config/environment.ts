import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidationError,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const SERVICE_ROLES = ['all', 'api', 'worker'] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

/**
 * Every setting the service reads from its environment, validated once at start.
 * `.env.example` documents each one; keep the two in step.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** `api` serves HTTP and runs no background work; `worker` runs it and serves only health and metrics. */
  @IsIn(SERVICE_ROLES)
  SERVICE_ROLE: ServiceRole = 'all';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = '.data';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_POSTGRES_PORT = 54329;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  PUBLIC_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'ADMIN_TOKEN must be at least 24 characters' })
  ADMIN_TOKEN?: string;

  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'SECRETS_KEY must be 64 hex characters (32 bytes)' })
  SECRETS_KEY?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  /** Meta's webhook batches reach 3 MB. */
  HTTP_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  PROVIDER_HTTP_TIMEOUT_MS = 10_000;

  /** Attachment and picture downloads may reach loopback and private networks (tests, on-premise providers). */
  @Transform(toBoolean)
  @IsBoolean()
  ALLOW_PRIVATE_NETWORK_FETCH = false;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  OUTBOUND_MAX_ATTEMPTS = 8;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  JOB_MAX_ATTEMPTS = 6;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  WORKER_POLL_INTERVAL_MS = 500;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  API_RATE_LIMIT_PER_MINUTE = 1_200;

  /** /health/ready fails when more replies or jobs than this are due and not done. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  READY_BACKLOG_LIMIT = 10_000;

  /** Debug logs may include message text; off by default, since message bodies are customer data. */
  @Transform(toBoolean)
  @IsBoolean()
  LOG_MESSAGE_BODIES = false;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/** Reads and validates the environment; throws one error that names every bad variable. */
export function parseEnvironment(source: NodeJS.ProcessEnv): Environment {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const environment = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: false });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(errors.map(describeProblem));
  }
  if (environment.NODE_ENV === 'production') {
    const missing = (['DATABASE_URL', 'ADMIN_TOKEN', 'SECRETS_KEY', 'PUBLIC_URL'] as const).filter(
      (name) => !environment[name],
    );
    if (missing.length > 0) {
      throw new InvalidEnvironmentError(missing.map((name) => `${name} is required in production`));
    }
  }
  return environment;
}

function describeProblem(error: ValidationError): string {
  // class-validator lists the last-declared rule first; the first-declared (the type check) reads best.
  const reasons = Object.values(error.constraints ?? {});
  return `${error.property}: ${reasons.at(-1) ?? 'is invalid'}`;
}
