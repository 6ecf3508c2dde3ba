CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"digest" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_digest_sha256" CHECK (octet_length("api_keys"."digest") = 32)
);
--> statement-breakpoint
CREATE TABLE "collections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"dimension" integer NOT NULL,
	"distance" text NOT NULL,
	"shard_count" integer NOT NULL,
	"replication_factor" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collections_owner_id_name_key" UNIQUE("owner_id","name"),
	CONSTRAINT "collections_dimension_positive" CHECK ("collections"."dimension" > 0),
	CONSTRAINT "collections_shard_count_positive" CHECK ("collections"."shard_count" > 0),
	CONSTRAINT "collections_replication_factor_positive" CHECK ("collections"."replication_factor" > 0)
);
--> statement-breakpoint
CREATE TABLE "shard_replicas" (
	"collection_id" uuid NOT NULL,
	"shard_id" integer NOT NULL,
	"worker_id" text NOT NULL,
	"role" text NOT NULL,
	"state" text NOT NULL,
	CONSTRAINT "shard_replicas_pkey" PRIMARY KEY("collection_id","shard_id","worker_id"),
	CONSTRAINT "shard_replicas_role_valid" CHECK ("shard_replicas"."role" in ('primary', 'follower')),
	CONSTRAINT "shard_replicas_state_valid" CHECK ("shard_replicas"."state" in ('active', 'syncing', 'offline'))
);
--> statement-breakpoint
CREATE TABLE "shards" (
	"collection_id" uuid NOT NULL,
	"shard_id" integer NOT NULL,
	"epoch" bigint DEFAULT 1 NOT NULL,
	CONSTRAINT "shards_pkey" PRIMARY KEY("collection_id","shard_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"plan" text DEFAULT 'free' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_key" UNIQUE("email"),
	CONSTRAINT "users_email_lowercase" CHECK ("users"."email" = lower("users"."email"))
);
--> statement-breakpoint
CREATE TABLE "workers" (
	"id" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"lease_expires_at" timestamp with time zone NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shard_replicas" ADD CONSTRAINT "shard_replicas_worker_id_workers_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."workers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shard_replicas" ADD CONSTRAINT "shard_replicas_shard_fkey" FOREIGN KEY ("collection_id","shard_id") REFERENCES "public"."shards"("collection_id","shard_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shards" ADD CONSTRAINT "shards_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_user_id_idx" ON "api_keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "shard_replicas_worker_id_idx" ON "shard_replicas" USING btree ("worker_id");