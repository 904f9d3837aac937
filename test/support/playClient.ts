// Moved to tickwire/testing (testing/playClient.ts); re-exported for the existing tests.
export { PlayClient, type Closed } from '../../testing/playClient.js';
