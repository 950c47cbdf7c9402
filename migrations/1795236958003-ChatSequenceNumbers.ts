import { MigrationInterface, QueryRunner } from "typeorm";

export class ChatSequenceNumbers1795236958003 implements MigrationInterface {
    name = 'ChatSequenceNumbers1795236958003'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_messages_chat_history"`);
        await queryRunner.query(`ALTER TABLE "chats" ADD "last_seq" integer NOT NULL DEFAULT '0'`);
        // Existing messages are numbered in the order they were stored, then the column becomes required.
        await queryRunner.query(`ALTER TABLE "messages" ADD "seq" integer`);
        await queryRunner.query(`UPDATE "messages" m SET "seq" = numbered.seq FROM (SELECT id, row_number() OVER (PARTITION BY chat_id ORDER BY id) AS seq FROM "messages") numbered WHERE m.id = numbered.id`);
        await queryRunner.query(`UPDATE "chats" c SET "last_seq" = coalesce((SELECT max(seq) FROM "messages" WHERE chat_id = c.id), 0)`);
        await queryRunner.query(`ALTER TABLE "messages" ALTER COLUMN "seq" SET NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_messages_chat_seq" ON "messages" ("chat_id", "seq") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_messages_chat_seq"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "seq"`);
        await queryRunner.query(`ALTER TABLE "chats" DROP COLUMN "last_seq"`);
        await queryRunner.query(`CREATE INDEX "ix_messages_chat_history" ON "messages" ("chat_id", "id") `);
    }

}
