-- CreateTable
CREATE TABLE "realtime_event" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "rooms" TEXT[],
    "envelope" JSONB NOT NULL,
    "relay_seq" BIGINT,
    "positions" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "relayed_at" TIMESTAMP(3),

    CONSTRAINT "realtime_event_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "realtime_stream" (
    "namespace" TEXT NOT NULL,
    "room" TEXT NOT NULL,
    "epoch" TEXT NOT NULL,
    "head" BIGINT NOT NULL,

    CONSTRAINT "realtime_stream_pkey" PRIMARY KEY ("namespace","room")
);

-- CreateTable
CREATE TABLE "realtime_stream_entry" (
    "namespace" TEXT NOT NULL,
    "room" TEXT NOT NULL,
    "offset" BIGINT NOT NULL,
    "relay_seq" BIGINT NOT NULL,

    CONSTRAINT "realtime_stream_entry_pkey" PRIMARY KEY ("namespace","room","offset")
);

-- CreateTable
CREATE TABLE "realtime_relay" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "epoch" TEXT NOT NULL,
    "relay_head" BIGINT NOT NULL DEFAULT 0,
    "published_head" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "realtime_relay_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "realtime_event_id_key" ON "realtime_event"("id");

-- CreateIndex
CREATE UNIQUE INDEX "realtime_event_relay_seq_key" ON "realtime_event"("relay_seq");

-- CreateIndex
CREATE INDEX "realtime_event_relay_seq_seq_idx" ON "realtime_event"("relay_seq", "seq");

-- CreateIndex
CREATE INDEX "realtime_event_relayed_at_idx" ON "realtime_event"("relayed_at");

-- CreateIndex
CREATE INDEX "realtime_stream_entry_relay_seq_idx" ON "realtime_stream_entry"("relay_seq");

-- The epoch new streams start in: a database whose history is lost or replaced gets a new one.
INSERT INTO "realtime_relay" ("id", "epoch") VALUES (1, gen_random_uuid()::text);
