import { LitElement } from 'lit';
import { VERSION, describeElement } from '../define-element.js';
import { LottieSyncError, isFatal } from '../errors.js';
import { LottieSyncErrorEvent } from '../events.js';

/**
 * What the three elements share: the library's version (compared when a
 * second copy defines the same tags), warnings that name the element, and
 * error events.
 */
export class LottieSyncElement extends LitElement {
  static readonly version: string = VERSION;

  /** Warns on the console, naming this element (its tag and src). */
  protected warn(message: string): void {
    console.warn(`${describeElement(this)}: ${message}`);
  }

  /** The file an error event names (a player's `src`). */
  protected get errorSource(): string | null {
    return null;
  }

  /** Warns and fires `lottie-sync-error` with the error's code. */
  protected report(error: LottieSyncError): void {
    this.warn(error.message);
    this.dispatchEvent(new LottieSyncErrorEvent(error.code, error.message, this.errorSource, isFatal(error.code), error.status));
  }

  /**
   * An attribute had a value outside those accepted: a warning and a non-fatal
   * `invalid-attribute` error that name the attribute, the accepted values and
   * what is used instead.
   */
  protected rejectAttribute(name: string, accepted: string, fallback: unknown): void {
    const raw = this.getAttribute(name);
    this.report(new LottieSyncError('invalid-attribute', `${name}="${raw}" is not valid: use ${accepted}. Using ${String(fallback)}.`));
  }
}
