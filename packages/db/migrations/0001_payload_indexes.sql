CREATE TABLE "payload_indexes" (
	"collection_id" uuid NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payload_indexes_pkey" PRIMARY KEY("collection_id","key"),
	CONSTRAINT "payload_indexes_kind_valid" CHECK ("payload_indexes"."kind" in ('keyword', 'integer', 'float', 'bool'))
);
--> statement-breakpoint
ALTER TABLE "payload_indexes" ADD CONSTRAINT "payload_indexes_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE cascade ON UPDATE no action;