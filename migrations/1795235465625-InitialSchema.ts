import { MigrationInterface, QueryRunner } from "typeorm";

export class InitialSchema1795235465625 implements MigrationInterface {
    name = 'InitialSchema1795235465625'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "operators" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "email" character varying(320) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'offline', "max_active_chats" integer NOT NULL DEFAULT '5', "token_hash" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_operators_status" CHECK (status IN ('online', 'busy', 'offline')), CONSTRAINT "PK_3d02b3692836893720335a79d1b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_1570f3d85c3ff08bb99815897a" ON "operators" ("email") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_63331ec92cbb9792a36970dd79" ON "operators" ("token_hash") `);
        await queryRunner.query(`CREATE TABLE "queues" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "routing_rule" character varying(64) NOT NULL DEFAULT 'manual', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d966f9eb39a9396658387071bb3" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_a290d70c28ba7f1c5d2600da84" ON "queues" ("name") `);
        await queryRunner.query(`CREATE TABLE "contacts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(300) NOT NULL, "avatar_url" text, "name_placeholder" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b99cd40cfd66a99f1571f4f72e6" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "channel_providers" ("code" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "capabilities" jsonb NOT NULL, "available" boolean NOT NULL DEFAULT true, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_68843046477ffec4ed0c7a8c135" PRIMARY KEY ("code"))`);
        await queryRunner.query(`CREATE TABLE "msg_settings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "provider" character varying(64) NOT NULL, "settings" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1833c04fcf8468be4c86ba0f04e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "channels" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "provider" character varying(64) NOT NULL, "msg_settings_id" uuid NOT NULL, "source" character varying(200), "queue_id" uuid, "active" boolean NOT NULL DEFAULT true, "connected" boolean NOT NULL DEFAULT false, "registered" boolean NOT NULL DEFAULT false, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_bc603823f3f741359c2339389f9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "contact_identities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "contact_id" uuid NOT NULL, "channel_id" uuid NOT NULL, "external_user_id" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_38de992d13ad0ef3975ca176935" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_1d4a95cd88e42cb1ec58e5bc95" ON "contact_identities" ("contact_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_contact_identities_channel_user" ON "contact_identities" ("channel_id", "external_user_id") `);
        await queryRunner.query(`CREATE TABLE "chats" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "channel_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "external_chat_id" character varying(200) NOT NULL, "queue_id" uuid, "operator_id" uuid, "status" character varying(16) NOT NULL DEFAULT 'queued', "unread_count" integer NOT NULL DEFAULT '0', "last_message_id" bigint, "last_message_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_chats_status" CHECK (status IN ('queued', 'active', 'closed')), CONSTRAINT "PK_0117647b3c4a4e5ff198aeb6206" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_3713bcb789d31585c522d54187" ON "chats" ("contact_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_64d444653c08c11b56ad27c830" ON "chats" ("operator_id") `);
        await queryRunner.query(`CREATE INDEX "ix_chats_channel_activity" ON "chats" ("channel_id", "last_message_id") `);
        await queryRunner.query(`CREATE INDEX "ix_chats_activity" ON "chats" ("last_message_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_chats_open_per_external_chat" ON "chats" ("channel_id", "external_chat_id") WHERE status <> 'closed'`);
        await queryRunner.query(`CREATE TABLE "messages" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "chat_id" uuid NOT NULL, "channel_id" uuid NOT NULL, "direction" character varying(3) NOT NULL, "sender_type" character varying(16) NOT NULL, "sender_id" uuid, "text" text, "status" character varying(16) NOT NULL, "provider_message_id" character varying(200), "client_message_id" character varying(200), "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "error" text, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_messages_status" CHECK (status IN ('received', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed')), CONSTRAINT "ck_messages_direction" CHECK (direction IN ('in', 'out')), CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_messages_outbox" ON "messages" ("next_attempt_at") WHERE status IN ('queued', 'sending')`);
        await queryRunner.query(`CREATE INDEX "ix_messages_chat_history" ON "messages" ("chat_id", "id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_messages_chat_client_id" ON "messages" ("chat_id", "client_message_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_messages_channel_provider_id" ON "messages" ("channel_id", "provider_message_id") `);
        await queryRunner.query(`CREATE TABLE "message_files" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "message_id" bigint NOT NULL, "kind" character varying(32) NOT NULL, "source_url" text, "provider_file_id" character varying(300), "file_name" character varying(300), "mime_type" character varying(200), "size" bigint, "sha256" character varying(64), "content" bytea, "status" character varying(16) NOT NULL, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_message_files_status" CHECK (status IN ('pending', 'stored', 'failed', 'remote')), CONSTRAINT "PK_0c383dd49eca61f122709fb16d0" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_ffdfac8390a27ee8218eff1afc" ON "message_files" ("message_id") `);
        await queryRunner.query(`CREATE TABLE "provider_state" ("channel_id" uuid NOT NULL, "key" character varying(100) NOT NULL, "value" jsonb NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b4c8db62b89eb88fc7ddb0cc3fc" PRIMARY KEY ("channel_id", "key"))`);
        await queryRunner.query(`CREATE TABLE "jobs" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "type" character varying(64) NOT NULL, "payload" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "run_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_jobs_status" CHECK (status IN ('pending', 'running', 'failed')), CONSTRAINT "PK_cf0a6c42b72fcc7f7c237def345" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_jobs_due" ON "jobs" ("run_at") WHERE status IN ('pending', 'running')`);
        await queryRunner.query(`CREATE TABLE "queue_members" ("queue_id" uuid NOT NULL, "operator_id" uuid NOT NULL, CONSTRAINT "PK_f30676985ab5d04eb21a8e46c17" PRIMARY KEY ("queue_id", "operator_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_91f537b8c015ef0576bb6b7c59" ON "queue_members" ("queue_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_68b439e020bb77b26a925e133e" ON "queue_members" ("operator_id") `);
        await queryRunner.query(`ALTER TABLE "channels" ADD CONSTRAINT "FK_a6cddae413b255173e874b2a4a3" FOREIGN KEY ("provider") REFERENCES "channel_providers"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "channels" ADD CONSTRAINT "FK_68c75e89559b21c295601e2a27b" FOREIGN KEY ("msg_settings_id") REFERENCES "msg_settings"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "channels" ADD CONSTRAINT "FK_33f2133e00ffe5e707ce565bec3" FOREIGN KEY ("queue_id") REFERENCES "queues"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "contact_identities" ADD CONSTRAINT "FK_1d4a95cd88e42cb1ec58e5bc952" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "contact_identities" ADD CONSTRAINT "FK_40133a2ebd72e0ddee37b9ad328" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "chats" ADD CONSTRAINT "FK_9b244edb1b3635f5117dd96c2df" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "chats" ADD CONSTRAINT "FK_3713bcb789d31585c522d54187c" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "chats" ADD CONSTRAINT "FK_ca1928d491f95db1c5e1b9a661d" FOREIGN KEY ("queue_id") REFERENCES "queues"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "chats" ADD CONSTRAINT "FK_64d444653c08c11b56ad27c830b" FOREIGN KEY ("operator_id") REFERENCES "operators"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "messages" ADD CONSTRAINT "FK_7540635fef1922f0b156b9ef74f" FOREIGN KEY ("chat_id") REFERENCES "chats"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "messages" ADD CONSTRAINT "FK_86b9109b155eb70c0a2ca3b4b6d" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "message_files" ADD CONSTRAINT "FK_ffdfac8390a27ee8218eff1afc4" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "provider_state" ADD CONSTRAINT "FK_d7c8a509fede42951b462190bfe" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "queue_members" ADD CONSTRAINT "FK_91f537b8c015ef0576bb6b7c594" FOREIGN KEY ("queue_id") REFERENCES "queues"("id") ON DELETE CASCADE ON UPDATE CASCADE`);
        await queryRunner.query(`ALTER TABLE "queue_members" ADD CONSTRAINT "FK_68b439e020bb77b26a925e133ef" FOREIGN KEY ("operator_id") REFERENCES "operators"("id") ON DELETE CASCADE ON UPDATE CASCADE`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "queue_members" DROP CONSTRAINT "FK_68b439e020bb77b26a925e133ef"`);
        await queryRunner.query(`ALTER TABLE "queue_members" DROP CONSTRAINT "FK_91f537b8c015ef0576bb6b7c594"`);
        await queryRunner.query(`ALTER TABLE "provider_state" DROP CONSTRAINT "FK_d7c8a509fede42951b462190bfe"`);
        await queryRunner.query(`ALTER TABLE "message_files" DROP CONSTRAINT "FK_ffdfac8390a27ee8218eff1afc4"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_86b9109b155eb70c0a2ca3b4b6d"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "FK_7540635fef1922f0b156b9ef74f"`);
        await queryRunner.query(`ALTER TABLE "chats" DROP CONSTRAINT "FK_64d444653c08c11b56ad27c830b"`);
        await queryRunner.query(`ALTER TABLE "chats" DROP CONSTRAINT "FK_ca1928d491f95db1c5e1b9a661d"`);
        await queryRunner.query(`ALTER TABLE "chats" DROP CONSTRAINT "FK_3713bcb789d31585c522d54187c"`);
        await queryRunner.query(`ALTER TABLE "chats" DROP CONSTRAINT "FK_9b244edb1b3635f5117dd96c2df"`);
        await queryRunner.query(`ALTER TABLE "contact_identities" DROP CONSTRAINT "FK_40133a2ebd72e0ddee37b9ad328"`);
        await queryRunner.query(`ALTER TABLE "contact_identities" DROP CONSTRAINT "FK_1d4a95cd88e42cb1ec58e5bc952"`);
        await queryRunner.query(`ALTER TABLE "channels" DROP CONSTRAINT "FK_33f2133e00ffe5e707ce565bec3"`);
        await queryRunner.query(`ALTER TABLE "channels" DROP CONSTRAINT "FK_68c75e89559b21c295601e2a27b"`);
        await queryRunner.query(`ALTER TABLE "channels" DROP CONSTRAINT "FK_a6cddae413b255173e874b2a4a3"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_68b439e020bb77b26a925e133e"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_91f537b8c015ef0576bb6b7c59"`);
        await queryRunner.query(`DROP TABLE "queue_members"`);
        await queryRunner.query(`DROP INDEX "public"."ix_jobs_due"`);
        await queryRunner.query(`DROP TABLE "jobs"`);
        await queryRunner.query(`DROP TABLE "provider_state"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_ffdfac8390a27ee8218eff1afc"`);
        await queryRunner.query(`DROP TABLE "message_files"`);
        await queryRunner.query(`DROP INDEX "public"."uq_messages_channel_provider_id"`);
        await queryRunner.query(`DROP INDEX "public"."uq_messages_chat_client_id"`);
        await queryRunner.query(`DROP INDEX "public"."ix_messages_chat_history"`);
        await queryRunner.query(`DROP INDEX "public"."ix_messages_outbox"`);
        await queryRunner.query(`DROP TABLE "messages"`);
        await queryRunner.query(`DROP INDEX "public"."uq_chats_open_per_external_chat"`);
        await queryRunner.query(`DROP INDEX "public"."ix_chats_activity"`);
        await queryRunner.query(`DROP INDEX "public"."ix_chats_channel_activity"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_64d444653c08c11b56ad27c830"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_3713bcb789d31585c522d54187"`);
        await queryRunner.query(`DROP TABLE "chats"`);
        await queryRunner.query(`DROP INDEX "public"."uq_contact_identities_channel_user"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_1d4a95cd88e42cb1ec58e5bc95"`);
        await queryRunner.query(`DROP TABLE "contact_identities"`);
        await queryRunner.query(`DROP TABLE "channels"`);
        await queryRunner.query(`DROP TABLE "msg_settings"`);
        await queryRunner.query(`DROP TABLE "channel_providers"`);
        await queryRunner.query(`DROP TABLE "contacts"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_a290d70c28ba7f1c5d2600da84"`);
        await queryRunner.query(`DROP TABLE "queues"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_63331ec92cbb9792a36970dd79"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_1570f3d85c3ff08bb99815897a"`);
        await queryRunner.query(`DROP TABLE "operators"`);
    }

}
