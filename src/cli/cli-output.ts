import { AppError } from '../common/errors/app-error';
import { InvalidEnvironmentError } from '../config/environment';
import { ProviderError } from '../messaging/contracts/provider-error';

/** Exit codes of every command: 0 done, 1 the command ran and failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI itself detects, with a stable code like the API's errors. */
export class CliFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(message);
  }

  /** A bad argument that only the data can reveal (e.g. a chat id the channel's provider cannot have). */
  static usage(message: string): CliFailure {
    return new CliFailure('INVALID_ARGUMENT', message, EXIT.usage);
  }
}

export interface ErrorDescription {
  code: string;
  message: string;
  field?: string;
}

/** The error as the API would name it; anything unexpected is INTERNAL with its message. */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof AppError) return { code: error.code, message: error.message, ...fieldOf(error.field) };
  if (error instanceof ProviderError || error instanceof CliFailure)
    return { code: error.code, message: error.message };
  if (error instanceof InvalidEnvironmentError) return { code: 'INVALID_CONFIGURATION', message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

function fieldOf(field: string | undefined): { field?: string } {
  return field ? { field } : {};
}

/**
 * Where results go: stdout, as JSON with `--json` or as lines for a person. Failures go to stderr
 * for a person and to stdout as `{"error": …}` for a machine, so a script reads one stream.
 */
export class CliOutput {
  constructor(
    readonly json: boolean,
    private readonly stdout: (text: string) => void = (text) => process.stdout.write(text),
    private readonly stderr: (text: string) => void = (text) => process.stderr.write(text),
  ) {}

  /** Prints `value` as JSON, or the lines `human` makes of it. */
  result<T>(value: T, human: (value: T) => string[]): void {
    if (this.json) this.stdout(`${JSON.stringify(value, null, 2)}\n`);
    else this.stdout(human(value).join('\n') + '\n');
  }

  failure(error: unknown): void {
    const described = describeError(error);
    if (this.json) this.stdout(`${JSON.stringify({ error: described }, null, 2)}\n`);
    else
      this.stderr(`error (${described.code}): ${described.message}${described.field ? ` [${described.field}]` : ''}\n`);
  }

  /** What a person should know while the command works (never part of the result). */
  note(line: string): void {
    this.stderr(`${line}\n`);
  }
}

/** Aligned columns, the first row being the header. */
export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd(),
  );
}

/** `2026-11-21 10:00:00` in UTC: one width for every row. */
export function timestamp(value: Date | string | null): string {
  if (value === null) return '-';
  return new Date(value).toISOString().slice(0, 19).replace('T', ' ');
}
