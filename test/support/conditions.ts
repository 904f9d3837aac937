// Moved to tickwire/testing; kept so existing tests import one shared copy.
export { Conditions } from '../../testing/conditions.js';
