/**
 * One port for TLS and plain HTTP: the first byte of a connection decides (22 opens a TLS handshake; anything else
 * is taken as an HTTP request line). TLS connections go to the emulator's HTTPS server; plain ones are answered only
 * when `allow(path)` says so (the control API, exposed scoring hosts) and otherwise closed without a word, the way
 * a TLS-only host treats them. Allowed plain requests reach the HTTPS server's own request handler, so they are
 * logged and faulted like any other.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';

const TLS_HANDSHAKE = 0x16;

export interface DualListener {
  port: number;
  /** Stops accepting and destroys every connection it accepted (also those that never sent a byte). */
  close(): Promise<void>;
}

export async function listenTlsAndPlain(tls: HttpsServer, opts: { port: number; host: string; allow: (path: string) => boolean }): Promise<DualListener> {
  const sockets = new Set<Socket>();
  const plain = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    if (!opts.allow(req.url ?? '/')) {
      req.socket.destroy();
      return;
    }
    tls.emit('request', req, res);
  });
  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('readable', () => {
      const first: Buffer | null = socket.read(1);
      if (!first) return void socket.destroy();
      socket.unshift(first);
      if (first[0] === TLS_HANDSHAKE) {
        tls.emit('connection', socket);
      } else {
        plain.emit('connection', socket);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (front.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        front.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
