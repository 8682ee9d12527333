// Bench only, never part of the product: preloaded into a replica (product or control) with
// NODE_OPTIONS="--expose-gc --import=<this file>" and BENCH_PROBE_PORT. GET / collects garbage and
// answers process.memoryUsage(), so the bench reads a replica's memory from the inside.
import { createServer } from 'node:http';
import { isMainThread } from 'node:worker_threads';

const port = Number(process.env.BENCH_PROBE_PORT);
// Worker threads (password hashing) load it too: one probe, the process's.
if (port && isMainThread) {
  createServer((_req, res) => {
    globalThis.gc();
    globalThis.gc();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(process.memoryUsage()));
  })
    .listen(port, '127.0.0.1')
    .unref();
}
