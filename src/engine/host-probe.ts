import { request } from 'node:http';
import { connect } from 'node:net';

/** Probes of published ports from this host: loopback or the address the engine published on. */
export interface HostProbe {
  /** Whether a TCP connection opens within the timeout. */
  tcp(host: string, port: number, timeoutMs: number): Promise<boolean>;
  /** The HTTP status of a GET, or undefined when nothing answers in time. */
  httpStatus(host: string, port: number, path: string, timeoutMs: number): Promise<number | undefined>;
}

export const hostProbe: HostProbe = {
  tcp(host, port, timeoutMs) {
    return new Promise((resolve) => {
      const socket = connect({ host, port, timeout: timeoutMs });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once('connect', () => done(true));
      socket.once('timeout', () => done(false));
      socket.once('error', () => done(false));
    });
  },
  httpStatus(host, port, path, timeoutMs) {
    return new Promise((resolve) => {
      const req = request({ host, port, path, method: 'GET', timeout: timeoutMs }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.once('timeout', () => {
        req.destroy();
        resolve(undefined);
      });
      req.once('error', () => resolve(undefined));
      req.end();
    });
  },
};
