import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerChannelCommands } from './channel.commands';
import { registerChatCommands } from './chat.commands';
import { EXIT } from './cli-output';
import { registerDeadLetterCommands } from './dead-letter.commands';
import { registerMigrationCommand } from './migration.command';

/**
 * `npm run cli -- <command>`: the service's tester and operator's tool, on the service's own
 * configuration (environment, DATABASE_URL or the embedded Postgres) and code paths.
 */
export function buildProgram(): Command {
  const program = new Command('npm run cli --')
    .description('Omnichannel messaging service: test channels, simulate traffic, inspect chats and dead letters')
    .option('--json', 'print the result as JSON')
    // Every usage error exits through main with code 2, after the help on stderr.
    .exitOverride()
    .showHelpAfterError()
    .showSuggestionAfterError();
  registerChannelCommands(program);
  registerChatCommands(program);
  registerDeadLetterCommands(program);
  registerMigrationCommand(program);
  return program;
}

/** The exit code: the command's own, 0 after help, 2 for any usage error commander found. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`error (INTERNAL): ${error instanceof Error ? error.message : String(error)}`);
      process.exit(EXIT.failed);
    },
  );
}
