import { isUUID } from 'class-validator';
import { Command, InvalidArgumentError } from 'commander';
import { CliApplication } from './cli-application';
import { CliFailure, CliOutput, EXIT, ExitCode } from './cli-output';

export interface CommandScope {
  app: CliApplication;
  out: CliOutput;
}

/** The output a command writes to, as `--json` chose. */
export function outputOf(command: Command): CliOutput {
  return new CliOutput(Boolean(command.optsWithGlobals<{ json?: boolean }>().json));
}

/**
 * Runs one command against the application: reports what it throws, always closes the
 * application, and leaves the exit code in `process.exitCode` for main to exit with.
 */
export async function runWithApplication(
  command: Command,
  work: (scope: CommandScope) => Promise<ExitCode>,
  workLoops: string[] = [],
): Promise<void> {
  const out = outputOf(command);
  await reportFailures(out, async () => {
    const app = await CliApplication.open(out, workLoops);
    try {
      return await work({ app, out });
    } finally {
      await app.close();
    }
  });
}

/** Runs `work`, turning what it throws into an error line and exit code 1 (2 for a bad argument). */
export async function reportFailures(out: CliOutput, work: () => Promise<ExitCode>): Promise<void> {
  try {
    process.exitCode = await work();
  } catch (error) {
    out.failure(error);
    process.exitCode = error instanceof CliFailure ? error.exitCode : EXIT.failed;
  }
}

/** Argument parsers: a malformed value is a usage error (exit 2), found before anything starts. */
export const parse = {
  uuid:
    (what: string) =>
    (value: string): string => {
      if (!isUUID(value)) throw new InvalidArgumentError(`${what} must be a UUID.`);
      return value;
    },
  numericId:
    (what: string) =>
    (value: string): string => {
      if (!/^\d{1,19}$/.test(value)) throw new InvalidArgumentError(`${what} must be a number.`);
      return value;
    },
  integer:
    (min: number, max: number) =>
    (value: string): number => {
      const number = Number(value);
      if (!/^\d+$/.test(value) || number < min || number > max) {
        throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
      }
      return number;
    },
};
