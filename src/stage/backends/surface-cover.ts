/**
 * Whether a stage surface can show `element`'s picture: the surface lies under
 * the stage's content, so anything between the element and the stage that
 * paints over it (a background), or that changes how it looks (opacity, a
 * filter, a transform, a clip or mask, a blend mode, a scrolling or clipping
 * box, fixed or sticky positioning, a hidden player), would hide the picture
 * or leave it unchanged where the page means it to change. Returns the first such reason,
 * or null. `cache` holds the answers for ancestors within one measuring pass
 * (players share them).
 */
export function surfaceHidden(element: Element, stage: Element, cache: Map<Element, string | null>): string | null {
  const path: Element[] = [];
  let reason: string | null = null;
  for (let node: Element | null = element; node && node !== stage; node = parentOf(node)) {
    const known = cache.get(node);
    if (known !== undefined) {
      reason = known;
      break;
    }
    path.push(node);
    reason = ownReason(node, node === element);
    if (reason) break;
  }
  for (const node of path) cache.set(node, reason);
  return reason;
}

/** The element's parent in the flat tree (a slotted element's slot, a shadow root's host). */
function parentOf(node: Element): Element | null {
  if (node.assignedSlot) return node.assignedSlot;
  if (node.parentElement) return node.parentElement;
  const root = node.parentNode;
  return root instanceof ShadowRoot ? root.host : null;
}

const transparent = (color: string) => color === 'transparent' || /^rgba\(.*,\s*0\)$/.test(color) || / \/ 0\)$/.test(color);

/** What of the element's own style keeps the surface from showing through it (`self`: the player itself). */
function ownReason(node: Element, self: boolean): string | null {
  const style = getComputedStyle(node);
  const name = self ? 'the player' : `<${node.localName}>`;
  // Inherited: the player's own value is what its canvas would show by.
  if (self && style.visibility !== 'visible') return 'the player is hidden (visibility)';
  if (!transparent(style.backgroundColor) || style.backgroundImage !== 'none') return `${name} has a background`;
  if (Number(style.opacity) < 1) return `${name} has opacity ${style.opacity}`;
  if (style.filter !== 'none' || (style.backdropFilter ?? 'none') !== 'none') return `${name} has a filter`;
  if (style.transform !== 'none') return `${name} is transformed`;
  if (style.clipPath !== 'none' || (style.maskImage ?? 'none') !== 'none') return `${name} is clipped or masked`;
  if (style.mixBlendMode !== 'normal') return `${name} has a blend mode`;
  if (style.position === 'fixed' || style.position === 'sticky') return `${name} is ${style.position}`;
  if (!self && (style.overflowX !== 'visible' || style.overflowY !== 'visible')) return `${name} clips or scrolls its content`;
  return null;
}
