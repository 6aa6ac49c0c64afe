import type { EngineAddress } from './docker-host.js';
import type { StdioOptions, StdioSession } from './engine.js';
import { outputReader } from './demux.js';
import { hijack } from './hijack.js';
import { closeWrite } from './transport.js';

/** A hijacked connection to a container's (attach) or an exec's (start) stdio. */
export async function openStdioSession(address: EngineAddress, path: string, body: unknown, options: StdioOptions): Promise<StdioSession> {
  const socket = await hijack(address, path, body);
  const read = outputReader(options.tty, options.onOutput);
  const done = new Promise<void>((resolve) => {
    socket.on('data', read);
    socket.on('end', resolve);
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
  socket.resume();
  return {
    done,
    write: (data) => {
      if (!socket.destroyed && socket.writable) socket.write(data);
    },
    endInput: () => {
      if (!socket.destroyed && socket.writable) closeWrite(socket);
    },
    close: () => socket.destroy(),
  };
}
