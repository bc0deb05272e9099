/**
 * Line protocol of the tests' child processes (native bad input, public-API fuzz): one JSON
 * object per line, written synchronously, so a line written before a call that kills the
 * process has reached the parent.
 */
import { writeSync } from 'node:fs';

/**
 * Writes one line to file descriptor `fd` synchronously. A pipe is non-blocking: when the
 * parent has not drained it yet, writeSync throws EAGAIN (or writes part of the line), so retry
 * until all of it is written.
 */
export function emitLine(o: unknown, fd = 1): void {
  const line = Buffer.from(JSON.stringify(o) + '\n');
  for (let done = 0; done < line.length; ) {
    try {
      done += writeSync(fd, line, done);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}
