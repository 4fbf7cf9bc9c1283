/** The library's version, compared when a second copy on the page tries to define the same tags. */
export const VERSION = '0.1.0';

/**
 * Defines `tag` unless it is defined already (two script tags on one CMS page
 * are harmless); warns when the copy already defined is another version.
 */
export function defineElement(tag: string, element: CustomElementConstructor & { version?: string }): void {
  const existing = customElements.get(tag) as (CustomElementConstructor & { version?: string }) | undefined;
  if (existing) {
    if (existing !== element && existing.version !== element.version) {
      console.warn(
        `<${tag}> is already defined by lottie-sync ${existing.version ?? '(unknown version)'}; this copy (${element.version}) is not used.`,
      );
    }
    return;
  }
  customElements.define(tag, element);
}

/** How warnings name an element: its tag and its src. */
export function describeElement(element: Element): string {
  const src = element.getAttribute('src');
  return `<${element.localName}${src ? ` src="${src}"` : ''}>`;
}
