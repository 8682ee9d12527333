// Bench only, never part of the product: preloaded into a replica with
// NODE_OPTIONS="--import=<this file>" and BENCH_CPU_PROF_DIR (Node 20 refuses --cpu-prof there).
// Profiles the whole process life and writes a .cpuprofile (Chrome DevTools format) when it exits.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.BENCH_CPU_PROF_DIR;
// Worker threads (password hashing) load it too: the main thread is what is profiled.
if (dir && isMainThread) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  // An in-process session answers synchronously, so the profile is written before the exit completes.
  process.once('exit', () =>
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `replica-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    }),
  );
}
