/** Binds the HTTP server, with the reasons a bind fails said in words (a taken port, no such address). */
import type http from 'node:http';

export class ListenError extends Error {}

/** The port is taken. The message speaks to a caller of startServer(); the CLI says --port instead. */
export class PortInUseError extends ListenError {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use; choose another port (0 picks a free one)`);
  }
}

export function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') reject(new PortInUseError(host, port));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new ListenError(`cannot listen on ${host}: no such local address`));
      else if (e.code === 'EACCES') reject(new ListenError(`not allowed to listen on ${host}:${port}`));
      else reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Stops accepting, lets in-flight requests finish: keep-alive connections turn idle as their response
 * ends and are closed then, rather than waiting out keepAliveTimeout; one still busy after the
 * request timeout is cut.
 */
export function closeGracefully(server: http.Server, requestTimeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 25);
    const cut = setTimeout(() => server.closeAllConnections(), requestTimeoutMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
