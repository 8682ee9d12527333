import type { ChildProcess } from 'node:child_process';

/** Resolves once `url` answers 2xx; throws, with the process' stderr, if it exits or stays silent for `timeoutMs`. */
export async function waitUntilServing(url: string, child: ChildProcess, name: string, stderr: () => string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await fetch(url).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not start: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM (a fast stop: open websockets must not keep a test waiting); resolves once it exited. */
export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}
