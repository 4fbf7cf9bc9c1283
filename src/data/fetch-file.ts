import { LottieSyncError } from '../errors.js';

/** The body of `response`, read as it streams: past `maxBytes` the download is stopped and the file rejected. */
async function readBounded(response: Response, url: string, maxBytes: number, abort: AbortController): Promise<Uint8Array> {
  const tooLarge = (bytes: string) => new LottieSyncError('too-large', `${url} is ${bytes} bytes, more than the limit of ${maxBytes}.`);
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    abort.abort();
    throw tooLarge(String(declared));
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      abort.abort();
      void reader.cancel().catch(() => {});
      throw tooLarge(`over ${total}`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The bytes at `url` (any URL fetch takes: http, data:, blob:), at most `maxBytes` of them. */
export async function fetchFile(url: string, maxBytes: number): Promise<Uint8Array> {
  const abort = new AbortController();
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', signal: abort.signal });
  } catch (cause) {
    throw new LottieSyncError('fetch-failed', `Could not fetch ${url}: ${(cause as Error).message}`);
  }
  if (!response.ok) {
    abort.abort();
    throw new LottieSyncError('http-error', `Fetching ${url} failed with HTTP ${response.status}.`, response.status);
  }
  try {
    return await readBounded(response, url, maxBytes, abort);
  } catch (cause) {
    if (cause instanceof LottieSyncError) throw cause;
    throw new LottieSyncError('fetch-failed', `Reading ${url} failed: ${(cause as Error).message}`);
  }
}
