ALTER TABLE "chat_inbox" ADD COLUMN "thread_id" text;--> statement-breakpoint
ALTER TABLE "chat_inbox" ADD COLUMN "handled_at" timestamp with time zone;--> statement-breakpoint
-- Lines recorded before this column existed were handled by the version that recorded them: an
-- upgrade must never handle them again.
UPDATE "chat_inbox" SET "handled_at" = "received_at" WHERE "handled_at" IS NULL;--> statement-breakpoint
CREATE INDEX "chat_inbox_unhandled_idx" ON "chat_inbox" USING btree ("received_at") WHERE "chat_inbox"."handled_at" is null;
