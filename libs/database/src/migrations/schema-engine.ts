import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { SchemaEngine };
type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

// lib is ES2023 without DOM, so the WebAssembly global has no value typings here.
const wasmApi = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(bytes: Uint8Array, imports: Record<string, Record<string, unknown>>): Promise<{ instance: { exports: unknown } }>;
    };
  }
).WebAssembly;

let enginePromise: Promise<EngineModule> | undefined;

/**
 * The package entry (`schema_engine.js`) does `import * as wasm from "./schema_engine_bg.wasm"`,
 * which plain Node cannot load. Load the JS glue, instantiate the .wasm ourselves, wire them up.
 */
export function loadSchemaEngineModule(): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const require = createRequire(import.meta.url);
    const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    // The engine arms a 10s setTimeout (advisory-lock timeout race) and has no clearTimeout import,
    // so each call would keep Node alive ~10s afterwards. Unref those timers; pending DB I/O still
    // keeps the process alive while the engine waits on it.
    const imports: Record<string, unknown> = { ...bg };
    for (const key of Object.keys(imports).filter((k) => k.startsWith('__wbg_setTimeout_'))) {
      imports[key] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
    }
    const { instance } = await wasmApi.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': imports });
    (bg as unknown as { __wbg_set_wasm(w: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return bg;
  })();
  return enginePromise;
}

export interface EngineHandle {
  engine: SchemaEngine;
  /** Runs an engine call, turning "External error id#N" into the adapter's real error. */
  run<T>(fn: (engine: SchemaEngine) => Promise<T>): Promise<T>;
  /** Frees the wasm engine and disposes the adapters it opened (ends PrismaPg's pool). */
  close(): Promise<void>;
}

export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  opts: { schemaPath: string; schemaText: string; log?: (line: string) => void },
): Promise<EngineHandle> {
  const { SchemaEngine } = await loadSchemaEngineModule();
  // engine.free() does not dispose the adapters the engine connected, so track and dispose them.
  const opened: SqlDriverAdapter[] = [];
  const track = (a: SqlDriverAdapter) => (opened.push(a), a);
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  };
  for (const s of Object.getOwnPropertySymbols(factory)) {
    (tracked as unknown as Record<symbol, unknown>)[s] = (factory as unknown as Record<symbol, unknown>)[s];
  }
  const bound = bindMigrationAwareSqlAdapterFactory(tracked);
  const log = opts.log ?? (() => {});
  const unwrap = (e: unknown): Error => externalError(e, bound.errorRegistry);
  let engine: SchemaEngine;
  try {
    engine = await SchemaEngine.new({ datamodels: [[opts.schemaPath, opts.schemaText]] }, log, bound);
  } catch (e) {
    throw unwrap(e);
  }
  let freed = false;
  return {
    engine,
    run: async (fn) => {
      try {
        return await fn(engine);
      } catch (e) {
        throw unwrap(e);
      }
    },
    close: async () => {
      if (freed) return;
      freed = true;
      engine.free();
      for (const a of opened.splice(0)) await a.dispose().catch(() => {});
    },
  };
}

/** GenericJs adapter errors reach us as "External error id#N"; the original lives in the registry. */
function externalError(e: unknown, registry: { consumeError(id: number): { error: unknown } | undefined }): Error {
  const err = e instanceof Error ? e : new Error(typeof e === 'string' ? e : JSON.stringify(e));
  const m = /External error id#(\d+)/.exec(err.message);
  const original = m ? registry.consumeError(Number(m[1]))?.error : undefined;
  if (original === undefined) return err;
  const detail = original instanceof Error ? original.message : String(original);
  return new Error(`${err.message.replace(m![0], `adapter error: ${detail}`)}`, { cause: original });
}
