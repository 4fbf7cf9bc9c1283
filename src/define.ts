// Defines both elements, the stage first so that players find it when they upgrade.
import './stage/define.js';
import './player/define.js';
