import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { BuildError } from '../errors.js';

/**
 * Reads the classic builder's JSON stream: `{"stream": "Step 2/4 : COPY . /app\n"}` lines, an
 * `{"aux": {"ID": ...}}` with the image ID, or `{"error": ...}`. Keeps the whole output and the
 * last step, so a failure shows both.
 */
export async function readBuildOutput(response: Readable, image: string, onOutput?: (line: string) => void): Promise<string> {
  const output: string[] = [];
  let step: string | undefined;
  let imageId: string | undefined;
  let pending = '';
  const lines = createInterface({ input: response, crlfDelay: Infinity });
  for await (const raw of lines) {
    if (raw.trim() === '') continue;
    const message = JSON.parse(raw) as { stream?: string; status?: string; error?: string; aux?: { ID?: string } };
    if (typeof message.error === 'string') {
      response.destroy();
      throw new BuildError(image, message.error.trim(), { ...(step === undefined ? {} : { step }), output });
    }
    if (typeof message.aux?.ID === 'string') imageId = message.aux.ID;
    const text = message.stream ?? (message.status === undefined ? undefined : `${message.status}\n`);
    if (text === undefined) continue;
    // A stream chunk may hold several lines, or end in the middle of one.
    const parts = (pending + text).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      const trimmed = line.replace(/\r$/, '');
      if (trimmed === '') continue;
      if (/^Step \d+\/\d+ : /.test(trimmed)) step = trimmed;
      output.push(trimmed);
      onOutput?.(trimmed);
    }
  }
  if (pending.trim() !== '') {
    output.push(pending);
    onOutput?.(pending);
  }
  if (imageId === undefined) {
    const built = output.map((l) => /^Successfully built ([0-9a-f]+)$/.exec(l)?.[1]).find((id) => id !== undefined);
    if (built === undefined) throw new BuildError(image, 'the engine ended the build without an image ID', { output });
    imageId = built;
  }
  return imageId;
}
