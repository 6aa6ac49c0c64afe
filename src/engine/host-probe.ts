import { request } from 'node:http';
import { connect } from 'node:net';

/** Probes of published ports from this host: loopback or the address the engine published on. */
export interface HostProbe {
  /** Whether a TCP connection opens within the timeout. */
  tcp(host: string, port: number, timeoutMs: number): Promise<boolean>;
  /** The HTTP status of a GET, or undefined when nothing answers in time. */
  httpStatus(host: string, port: number, path: string, timeoutMs: number): Promise<number | undefined>;
}

const STAY_OPEN_MS = 200;

export const hostProbe: HostProbe = {
  tcp(host, port, timeoutMs) {
    return new Promise((resolve) => {
      const socket = connect({ host, port, timeout: timeoutMs });
      let settled = false;
      const done = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(hold);
        socket.destroy();
        resolve(ok);
      };
      let hold: NodeJS.Timeout | undefined;
      // Docker's userland proxy accepts on the host port whether or not the container listens,
      // then hangs up at once when the container refuses: only a connection that stays open (or
      // that the server speaks on) means a listener.
      socket.once('connect', () => {
        hold = setTimeout(() => done(true), STAY_OPEN_MS);
      });
      socket.once('data', () => done(true));
      socket.once('end', () => done(false));
      socket.once('close', () => done(false));
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
