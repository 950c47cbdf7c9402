import { MigrationInterface, QueryRunner } from "typeorm";

export class AgentRoutingAndEvents1795236080790 implements MigrationInterface {
    name = 'AgentRoutingAndEvents1795236080790'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_64d444653c08c11b56ad27c830"`);
        await queryRunner.query(`DROP INDEX "public"."uq_messages_channel_provider_id"`);
        await queryRunner.query(`CREATE TABLE "chat_events" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "type" character varying(64) NOT NULL, "chat_id" uuid, "operator_id" uuid, "queue_id" uuid, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0c2aa488dfb84768fac1198b629" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_chat_events_created" ON "chat_events" ("created_at") `);
        await queryRunner.query(`ALTER TABLE "operators" ADD "last_assigned_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`CREATE INDEX "ix_chats_queue_waiting" ON "chats" ("queue_id", "last_message_id") WHERE status = 'queued'`);
        await queryRunner.query(`CREATE INDEX "ix_chats_operator_activity" ON "chats" ("operator_id", "last_message_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_messages_channel_provider_id" ON "messages" ("channel_id", "direction", "provider_message_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_messages_channel_provider_id"`);
        await queryRunner.query(`DROP INDEX "public"."ix_chats_operator_activity"`);
        await queryRunner.query(`DROP INDEX "public"."ix_chats_queue_waiting"`);
        await queryRunner.query(`ALTER TABLE "operators" DROP COLUMN "last_assigned_at"`);
        await queryRunner.query(`DROP INDEX "public"."ix_chat_events_created"`);
        await queryRunner.query(`DROP TABLE "chat_events"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_messages_channel_provider_id" ON "messages" ("channel_id", "provider_message_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_64d444653c08c11b56ad27c830" ON "chats" ("operator_id") `);
    }

}
