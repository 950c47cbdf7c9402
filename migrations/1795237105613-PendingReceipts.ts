import { MigrationInterface, QueryRunner } from "typeorm";

export class PendingReceipts1795237105613 implements MigrationInterface {
    name = 'PendingReceipts1795237105613'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "pending_receipts" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "channel_id" uuid NOT NULL, "provider_message_id" character varying(200) NOT NULL, "status" character varying(16) NOT NULL, "error" text, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8522d1f683470c93aeee3964118" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_pending_receipts" ON "pending_receipts" ("channel_id", "provider_message_id", "status") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_pending_receipts"`);
        await queryRunner.query(`DROP TABLE "pending_receipts"`);
    }

}
