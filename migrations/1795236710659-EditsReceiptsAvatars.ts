import { MigrationInterface, QueryRunner } from "typeorm";

export class EditsReceiptsAvatars1795236710659 implements MigrationInterface {
    name = 'EditsReceiptsAvatars1795236710659'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "contacts" ADD "avatar" bytea`);
        await queryRunner.query(`ALTER TABLE "contacts" ADD "avatar_mime_type" character varying(200)`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "edited_at" TIMESTAMP WITH TIME ZONE`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "edited_at"`);
        await queryRunner.query(`ALTER TABLE "contacts" DROP COLUMN "avatar_mime_type"`);
        await queryRunner.query(`ALTER TABLE "contacts" DROP COLUMN "avatar"`);
    }

}
