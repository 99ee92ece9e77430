CREATE TABLE "console_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"last_seq" bigint NOT NULL,
	CONSTRAINT "console_head_single_row" CHECK ("console_head"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "console_messages" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"message" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_threads" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"request_id" text,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_cards" (
	"task_id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"user_id" text NOT NULL,
	"locale" text NOT NULL,
	"response_code" text,
	"click_message_id" text,
	"closed" boolean DEFAULT false NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "console_messages_conversation_idx" ON "console_messages" USING btree ("conversation_id","seq");--> statement-breakpoint
CREATE INDEX "slack_threads_expires_at_idx" ON "slack_threads" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "slack_threads_request_id_idx" ON "slack_threads" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "wecom_cards_request_user_idx" ON "wecom_cards" USING btree ("request_id","user_id");--> statement-breakpoint
CREATE INDEX "wecom_cards_sent_at_idx" ON "wecom_cards" USING btree ("sent_at");