import { Command } from 'commander';
import { applyPendingMigrations } from '../database/run-migrations';
import { loadConfig } from './cli-application';
import { openDatabase } from './cli-database';
import { EXIT } from './cli-output';
import { outputOf, reportFailures } from './cli-command';

/**
 * `migrate`: applies the pending migrations, like `npm run migration:run`. It connects without the
 * application, because the application applies pending migrations itself as it starts.
 */
export function registerMigrationCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action((_options: object, command: Command) => {
      const out = outputOf(command);
      return reportFailures(out, async () => {
        const database = await openDatabase(loadConfig(out), (line) => out.note(line));
        try {
          const applied = await applyPendingMigrations(database.url);
          out.result({ applied }, () => [
            applied.length
              ? `applied ${applied.length}: ${applied.join(', ')}`
              : 'nothing to do: the schema is up to date',
          ]);
          return EXIT.ok;
        } finally {
          await database.close();
        }
      });
    });
}
