import type { PlayDirection, PlayMode } from '../clock/frame-map.js';
import { InvalidValue } from '../element/attribute-values.js';
import type { PlayTrigger } from '../element/play-trigger.js';

/** `loop`: absent follows the stage, `loop` or `loop="true"` loops for ever, `loop="false"` plays once, `loop="3"` plays 3 passes. */
export function parseLoop(value: string | null): boolean | number | null | InvalidValue {
  if (value === null) return null;
  const text = value.trim().toLowerCase();
  if (text === '' || text === 'true' || text === 'loop') return true;
  if (text === 'false') return false;
  if (/^\d+$/.test(text) && Number(text) >= 1) return Number(text);
  return new InvalidValue(value);
}

/** `intermission`: milliseconds, 0 or more. */
export function parseIntermission(value: string | null): number | InvalidValue {
  if (value === null || value.trim() === '') return 0;
  const ms = Number(value);
  return Number.isFinite(ms) && ms >= 0 ? ms : new InvalidValue(value);
}

/** `speed`: a positive multiple of the player's timeline. */
export function parseSpeed(value: string | null): number | InvalidValue {
  if (value === null || value.trim() === '') return 1;
  const speed = Number(value);
  return Number.isFinite(speed) && speed > 0 ? speed : new InvalidValue(value);
}

export type { PlayTrigger };

/** `play-on`: `hover`, `click`, `visible` or `visible-once`. */
export function parsePlayOn(value: string | null): PlayTrigger | null | InvalidValue {
  if (value === null || value.trim() === '') return null;
  const text = value.trim().toLowerCase();
  return text === 'hover' || text === 'click' || text === 'visible' || text === 'visible-once' ? text : new InvalidValue(value);
}

/** `direction`: `1`/`forward` or `-1`/`reverse`. */
export function parseDirection(value: string | null): PlayDirection | InvalidValue {
  if (value === null) return 1;
  const text = value.trim().toLowerCase();
  if (text === '1' || text === 'forward' || text === '') return 1;
  if (text === '-1' || text === 'reverse') return -1;
  return new InvalidValue(value);
}

/** `mode`: `normal` or `bounce`. */
export function parseMode(value: string | null): PlayMode | InvalidValue {
  if (value === null) return 'normal';
  const text = value.trim().toLowerCase();
  if (text === 'normal' || text === '') return 'normal';
  if (text === 'bounce') return 'bounce';
  return new InvalidValue(value);
}

/** `segment`: two whole frame numbers, `"10 40"` or `"10,40"`: from frame 10 up to, not including, 40. */
export function parseSegment(value: string | null): readonly [number, number] | null | InvalidValue {
  if (value === null || value.trim() === '') return null;
  const parts = value.trim().split(/\s*[,\s]\s*/);
  if (parts.length !== 2 || !parts.every((part) => /^\d+$/.test(part))) return new InvalidValue(value);
  const [from, to] = parts.map(Number) as [number, number];
  return from < to ? [from, to] : new InvalidValue(value);
}

/** The player's parsed attributes: each parser and what it accepts (for the warning). */
export const PLAYER_ATTRIBUTES = {
  loop: { parse: parseLoop, accepted: '"true", "false", a number of passes such as "3", or no value' },
  direction: { parse: parseDirection, accepted: '"1", "-1", "forward" or "reverse"' },
  mode: { parse: parseMode, accepted: '"normal" or "bounce"' },
  segment: { parse: parseSegment, accepted: 'two whole frame numbers, first smaller, such as "10 40"' },
  intermission: { parse: parseIntermission, accepted: 'milliseconds, 0 or more' },
  speed: { parse: parseSpeed, accepted: 'a number above 0, such as 0.5 or 2' },
  playOn: { parse: parsePlayOn, accepted: '"hover", "click", "visible" or "visible-once"', attribute: 'play-on' },
} as const;

/** The player's settings that go into the config it hands its stage. */
export const CONFIG_KEYS = [
  'src',
  'data',
  'animation',
  'loop',
  'intermission',
  'speed',
  'direction',
  'mode',
  'segment',
  'marker',
  'group',
  'master',
] as const;
