// Storybook controls for an element, from custom-elements.json: every attribute
// gets the control its type asks for (a select for a union of literals, a number
// for a number, a toggle for a boolean, a text box otherwise), with the
// manifest's description and default. `render` turns the story's args back into
// attributes, so a control always sets the attribute the manifest names.
/** The declaration of `tag` in a custom elements manifest. */
export function declarationOf(manifest, tag) {
  for (const module of manifest.modules)
    for (const declaration of module.declarations ?? []) if (declaration.tagName === tag) return declaration;
  throw new Error(`custom-elements.json has no <${tag}>`);
}

/** A type text split into its members, `null` and `undefined` left out. */
function members(text) {
  return text
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part && part !== 'null' && part !== 'undefined');
}

const QUOTED = /^'(.*)'$/;

/** The control for one manifest type text. */
export function controlFor(text = 'string') {
  const parts = members(text);
  if (parts.length === 1 && parts[0] === 'boolean') return { control: 'boolean' };
  if (parts.length === 1 && parts[0] === 'number') return { control: 'number' };
  if (parts.length > 1 && parts.every((part) => QUOTED.test(part) || /^-?\d+(\.\d+)?$/.test(part))) {
    const options = parts.map((part) => (QUOTED.test(part) ? QUOTED.exec(part)[1] : Number(part)));
    return { control: 'select', options: [undefined, ...options] };
  }
  return { control: 'text' };
}

/** Storybook argTypes for every attribute of `tag` in `manifest`, keyed by attribute name. */
export function argTypesOf(manifest, tag) {
  const argTypes = {};
  for (const attribute of declarationOf(manifest, tag).attributes ?? []) {
    const { control, options } = controlFor(attribute.type?.text);
    argTypes[attribute.name] = {
      name: attribute.name,
      description: attribute.description,
      control,
      ...(options ? { options } : {}),
      table: {
        category: 'attributes',
        type: { summary: attribute.type?.text ?? 'string' },
        defaultValue: attribute.default === undefined ? undefined : { summary: attribute.default },
      },
    };
  }
  return argTypes;
}

/** Sets the args that are set as attributes on `element` (a boolean as presence, others as text). */
export function applyArgs(element, args, argTypes) {
  for (const [name, value] of Object.entries(args)) {
    if (!(name in argTypes)) continue;
    if (value === undefined || value === null || value === false || value === '') element.removeAttribute(name);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  return element;
}
