/**
 * A winston transport that writes the lines of one event-loop turn in one call, at the end of the
 * turn (setImmediate), instead of one write per line. Under load a turn answers several requests:
 * their request lines reach the file or pipe in one system call, in the order they were logged.
 *
 * Nothing is lost on a clean exit: the server flushes it when it closes, and every transport still
 * holding lines is flushed on the process's `exit` event (process.exit(), an uncaught error, the
 * end of the loop), where writes to files, pipes and terminals are synchronous. A kill -9 loses at
 * most the lines of the turn it interrupts.
 */
import type Winston from 'winston';
// the base class winston's transports extend (winston's own dependency; types only)
import type TransportStream from 'winston-transport';

export interface FlushableTransport {
  /** writes the lines gathered so far, now */
  flush(): void;
}

/** The transports holding lines, for the one `exit` listener (one listener however many loggers). */
const holding = new Set<FlushableTransport>();
let exitHookInstalled = false;

function flushAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const transport of holding) transport.flush();
  });
}

/** winston is loaded lazily by the logger, so the class is made from the loaded module. */
export function createBatchedTransport(winston: typeof Winston, stream: NodeJS.WritableStream): TransportStream & FlushableTransport {
  const MESSAGE = Symbol.for('message');
  // winston exports the base class as `Transport` (its typings call it `transport`)
  const Base = (winston as unknown as { Transport: typeof TransportStream }).Transport;
  flushAllOnExit();

  class BatchedStreamTransport extends Base implements FlushableTransport {
    private lines: string[] = [];
    private readonly flushSoon = (): void => this.flush();

    override log(info: Record<symbol, unknown>, next: () => void): void {
      if (this.lines.length === 0) {
        setImmediate(this.flushSoon);
        holding.add(this);
      }
      this.lines.push(String(info[MESSAGE]));
      next();
    }

    flush(): void {
      if (this.lines.length === 0) return;
      const text = this.lines.join('\n') + '\n';
      this.lines = [];
      holding.delete(this);
      stream.write(text);
    }

    override close(): void {
      this.flush();
    }
  }

  return new BatchedStreamTransport();
}
