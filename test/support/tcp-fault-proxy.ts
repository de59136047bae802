/**
 * A TCP proxy on loopback between the app and the real PostgreSQL, for fault tests: `freeze()`
 * stops bytes moving both ways (the network hangs, connections stay open), `thaw()` delivers
 * what was held and carries on, `cut()` drops every connection and refuses new ones (the server
 * is unreachable).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A running proxy. */
export interface FaultProxy {
  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string;
  freeze(): void;
  thaw(): void;
  cut(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy to `host:port` on a free loopback port. */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let frozen = false;
  const links = new Set<{ client: Socket; upstream: Socket; held: [Socket, Buffer][] }>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    const link = { client, upstream, held: [] as [Socket, Buffer][] };
    links.add(link);
    const forward = (to: Socket) => (chunk: Buffer) => {
      if (frozen) link.held.push([to, chunk]);
      else to.write(chunk);
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    const drop = () => {
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop);
    upstream.on('close', drop);
    client.on('error', drop);
    upstream.on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const closeServer = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const proxy: FaultProxy = {
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const link of links) for (const [to, chunk] of link.held.splice(0)) to.write(chunk);
    },
    async cut() {
      const closed = closeServer();
      for (const link of links) {
        link.client.destroy();
        link.upstream.destroy();
      }
      links.clear();
      await closed;
    },
    async close() {
      frozen = false;
      await proxy.cut();
    },
  };
  return proxy;
}
