import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source.options';
import { createTestDatabase } from '../../test/support/test-database';

/** What the migrations build: columns, constraints, indexes and functions (not the extensions' own). */
async function schemaOf(dataSource: DataSource): Promise<string[]> {
  const rows: { item: string }[] = await dataSource.query(
    `SELECT format('column %s.%s %s %s %s', table_name, column_name, data_type, is_nullable, column_default) AS item
       FROM information_schema.columns WHERE table_schema = 'public'
     UNION ALL
     SELECT format('constraint %s on %s: %s', conname, conrelid::regclass, pg_get_constraintdef(oid))
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace
     UNION ALL
     SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public'
     UNION ALL
     SELECT format('function %s', pg_get_functiondef(p.oid)) FROM pg_proc p
      WHERE pronamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_depend WHERE objid = p.oid AND deptype = 'e')
     ORDER BY 1`,
  );
  return rows.map((row) => row.item);
}

/** The migrations and the entities, through the app's own DataSource options on a clone of the migrated template. */
describe('migrations', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(buildDataSourceOptions(database.url)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('build the schema the entities describe', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();

    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('each have a down() that undoes its up(): all reverted, nothing is left; run again, the schema is the same', async () => {
    const migrated = await schemaOf(dataSource);

    for (let left = dataSource.migrations.length; left > 0; left--) await dataSource.undoLastMigration();
    const leftOver = (await schemaOf(dataSource)).filter((item) => !/\bschema_migrations\b/.test(item));
    await dataSource.runMigrations();

    expect(leftOver).toEqual([]);
    expect(await schemaOf(dataSource)).toEqual(migrated);
  });
});
