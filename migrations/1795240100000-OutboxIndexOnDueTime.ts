import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The outbox index keyed on its due time only. With `status IN ('queued', 'sending')` as its
 * predicate, the planner took it for the settle's and requeue's `id = $1 AND status = 'sending'`
 * once the table was large (a deeper primary key) and its statistics showed an empty outbox, and
 * each of those updates scanned every queued row: the drain slowed as history grew.
 */
export class OutboxIndexOnDueTime1795240100000 implements MigrationInterface {
    name = 'OutboxIndexOnDueTime1795240100000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_messages_outbox"`);
        await queryRunner.query(`CREATE INDEX "ix_messages_outbox_due" ON "messages" ("next_attempt_at") WHERE next_attempt_at IS NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_messages_outbox_due"`);
        await queryRunner.query(`CREATE INDEX "ix_messages_outbox" ON "messages" ("next_attempt_at") WHERE status IN ('queued', 'sending')`);
    }
}
