CREATE TABLE "placement_leader" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"node_id" text NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "placement_leader_singleton" CHECK ("placement_leader"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "shard_replicas" ADD COLUMN "leaving" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "shard_replicas" ADD COLUMN "state_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "draining" boolean DEFAULT false NOT NULL;