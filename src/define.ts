// Defines the elements, the stage first so that players and groups find it when they upgrade.
import './stage/define.js';
import './group/define.js';
import './player/define.js';
