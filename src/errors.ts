/** Machine-readable codes carried by `lottie-sync-error`. */
export type LottieSyncErrorCode =
  /** The request failed before a response (offline, CORS, DNS, aborted). */
  | 'fetch-failed'
  /** The server answered with a status outside 200-299, such as 404. */
  | 'http-error'
  /** The response body was empty. */
  | 'empty'
  /** The response was larger than the stage's `max-bytes`. */
  | 'too-large'
  /** The body is not JSON. */
  | 'invalid-json'
  /** The JSON is not a Lottie animation (no `fr`, `ip`, `op`, `w`, `h` or `layers`). */
  | 'not-lottie'
  /** A zip file that cannot be read, or without a `manifest.json`: not a `.lottie` file. */
  | 'bad-archive'
  /** A `.lottie` file whose manifest is not JSON, lists no animation, or names one that is not in the archive. */
  | 'bad-manifest'
  /** The `animation` attribute names an animation the `.lottie` file does not have. */
  | 'unknown-animation'
  /** lottie-web could not build or draw the animation. */
  | 'render-failed'
  /** The file holds more than a stage builds (`max-layers`, `max-shapes`, precomps nested over 16 deep or containing themselves), or lottie-web took too long to build it. */
  | 'too-complex'
  /** An attribute had a value outside those accepted; the default is used instead. */
  | 'invalid-attribute'
  /** The file has expressions (code), and this stage draws it without them: `expressions="off"`, a file that needs a document, or no sandbox realm. */
  | 'expressions-disabled'
  /** An image asset of the file is on another origin than the file (a beacon, or a CDN the stage does not allow in `asset-origins`): it is not loaded. */
  | 'asset-blocked'
  /** The `marker` attribute names a marker the file does not have. */
  | 'unknown-marker'
  /** The sync relay refused something: a follower's control, a bad token, a full room. The stage shows the room's state. */
  | 'sync-refused'
  /** A render worker crashed or could not start (for example under a CSP without `worker-src blob:`); the stage draws on the main thread. */
  | 'worker-failed'
  /** The sync relay cannot be reached; the stage keeps playing from the last state and retries. */
  | 'relay-unreachable';

/** An error with a code, as thrown inside the library and carried by error events. */
export class LottieSyncError extends Error {
  override readonly name = 'LottieSyncError';

  constructor(
    readonly code: LottieSyncErrorCode,
    message: string,
    /** HTTP status for `http-error`. */
    readonly status?: number,
  ) {
    super(message);
  }
}

const NOT_FATAL: ReadonlySet<LottieSyncErrorCode> = new Set([
  'invalid-attribute',
  'unknown-marker',
  'asset-blocked',
  'expressions-disabled',
  'sync-refused',
  'relay-unreachable',
  'worker-failed',
]);

/** Errors that leave the player blank and show its fallback (the others are recoverable). */
export function isFatal(code: LottieSyncErrorCode): boolean {
  return !NOT_FATAL.has(code);
}
