/**
 * Local servers built to pass or to fail each probe. Every server listens on 127.0.0.1 behind a plain TCP front
 * that counts open connections (the concurrency tests read those counts) and hands each connection to a TLS
 * server, or, for the sniffing kind, to a hand-written plain-HTTP answer when the first byte is not a TLS record.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { LeafCert } from './certs';

/** Open-connection counts as the servers see them; one tracker may be shared by many servers. */
export class ConnectionTracker {
  open = 0;
  maxOpen = 0;
  total = 0;
  add(socket: Socket): void {
    this.open++;
    this.total++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    socket.once('close', () => { this.open--; });
  }
}

/** How the server answers an HTTPS request (the probe's anonymous POST). */
export type Answer =
  | 'refuse' // 401 with a challenge: the passing answer
  | 'serve' // 200: served a stranger
  | 'error' // 500
  | 'not-found' // 404
  | 'redirect' // 302 to a login page
  | 'leaky' // 401, but with version banners and a Python traceback
  | 'stall-body'; // 401 head, then a body that never ends

/** What the same port does with a connection that does not start with a TLS record. */
export type PlainSide = 'none' | 'serve' | 'redirect';

export interface TlsServerSpec {
  cert: LeafCert;
  answer?: Answer;
  /** Accept TLS 1.0/1.1 (OpenSSL security level 0), as an outdated server would. */
  legacyTls?: boolean;
  plain?: PlainSide;
  tracker?: ConnectionTracker;
}

export interface ProbeServer {
  port: number;
  uri: string;
  /** This server's own counts (also fed to a shared tracker when one was given). */
  tracker: ConnectionTracker;
  close(): Promise<void>;
}

/** A body that looks like what a crashing Python scoring script returns when debugging was left on. */
export const LEAKY_BODY = [
  'Traceback (most recent call last):',
  '  File "/var/azureml-app/score.py", line 42, in run',
  '    data = json.loads(raw_data)',
  'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)',
  '',
].join('\n');

function answer(kind: Answer, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  switch (kind) {
    case 'refuse': return json(401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
    case 'serve': return json(200, { result: [0.42] });
    case 'error': return json(500, { message: 'Internal error' });
    case 'not-found': return json(404, { message: 'Not found' });
    case 'redirect':
      res.writeHead(302, { location: 'https://login.example.test/authorize' });
      return void res.end();
    case 'leaky':
      res.writeHead(401, { 'content-type': 'text/plain', server: 'nginx/1.18.0', 'x-powered-by': 'Express', 'www-authenticate': 'Bearer' });
      return void res.end(LEAKY_BODY);
    case 'stall-body':
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      return void res.write('{"message":');
  }
}

/** A minimal HTTP/1.1 answer written straight to the socket once the request head is in. */
function answerPlain(socket: Socket, kind: Exclude<PlainSide, 'none'>, port: number): void {
  let head = '';
  socket.on('data', (chunk: Buffer) => {
    head += chunk.toString('latin1');
    if (!head.includes('\r\n\r\n')) return;
    const path = /^[A-Z]+ (\S+)/.exec(head)?.[1] ?? '/';
    const body = kind === 'serve' ? 'scored over plain http\n' : '';
    const status = kind === 'serve' ? '200 OK' : '301 Moved Permanently';
    const location = kind === 'redirect' ? `Location: https://127.0.0.1:${port}${path}\r\n` : '';
    socket.end(`HTTP/1.1 ${status}\r\n${location}Content-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  });
  socket.on('error', () => undefined);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
}

/** Closes the listener and destroys every connection it still holds. */
function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

export async function startTlsServer(spec: TlsServerSpec): Promise<ProbeServer> {
  const tls = createHttpsServer(
    {
      cert: spec.cert.cert,
      key: spec.cert.key,
      ...(spec.legacyTls ? { minVersion: 'TLSv1' as const, ciphers: 'DEFAULT@SECLEVEL=0' } : { minVersion: 'TLSv1.2' as const }),
    },
    (req, res) => answer(spec.answer ?? 'refuse', req, res),
  );
  tls.on('tlsClientError', () => undefined);
  const own = new ConnectionTracker();
  const sockets = new Set<Socket>();
  let port = 0;
  const front = createNetServer((socket) => {
    own.add(socket);
    spec.tracker?.add(socket);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const plain = spec.plain ?? 'none';
    if (plain === 'none') return void tls.emit('connection', socket);
    // Sniff: a TLS connection starts with a handshake record (0x16); anything else gets the plain-HTTP side.
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] === 0x16) return void tls.emit('connection', socket); // the TLS socket reads the unshifted bytes itself
      answerPlain(socket, plain, port);
      socket.resume();
    });
  });
  port = await listen(front);
  const close = closer(front, sockets);
  return { port, uri: `https://127.0.0.1:${port}/score`, tracker: own, close };
}

/** Accepts connections and never says a word: every probe must end by its own deadline. */
export async function startSilentServer(tracker?: ConnectionTracker): Promise<ProbeServer> {
  const own = new ConnectionTracker();
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    own.add(socket);
    tracker?.add(socket);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    // Read and drop what arrives: an unread socket never sees the peer's FIN, so it would never close.
    socket.resume();
  });
  const port = await listen(server);
  return { port, uri: `https://127.0.0.1:${port}/score`, tracker: own, close: closer(server, sockets) };
}

/** A plain HTTP scoring server, for http:// scoring URIs. */
export async function startHttpServer(kind: Answer): Promise<ProbeServer> {
  const own = new ConnectionTracker();
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => answer(kind, req, res));
  server.on('connection', (socket: Socket) => {
    own.add(socket);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return { port, uri: `http://127.0.0.1:${port}/score`, tracker: own, close: closer(server, sockets) };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
