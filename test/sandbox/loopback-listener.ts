// One HTTP listener on 127.0.0.1 that can stop and listen again on the same port (the
// sandbox servers' restart fault), shared by the GitHub-compatible and GitLab forges.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackListener {
  /** Listens on the remembered port (0 the first time = ephemeral); resolves with the port. */
  listen(): Promise<number>;
  /** Closes the listener and every open connection; listen() may follow. */
  stop(): Promise<void>;
  readonly port: number;
}

export function createLoopbackListener(handle: (req: IncomingMessage, res: ServerResponse) => void, options: { port?: number; keepAliveTimeoutMs?: number } = {}): LoopbackListener {
  let port = options.port ?? 0;
  let server: Server | undefined;
  return {
    get port() {
      return port;
    },
    async listen() {
      const s = createServer(handle);
      if (options.keepAliveTimeoutMs !== undefined) s.keepAliveTimeout = options.keepAliveTimeoutMs;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => {
          s.off('error', reject);
          resolve();
        });
      });
      port = (s.address() as AddressInfo).port;
      server = s;
      return port;
    },
    async stop() {
      const s = server;
      if (!s) return;
      server = undefined;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
