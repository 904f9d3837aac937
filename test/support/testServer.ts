// Moved to tickwire/testing (testing/bootServer.ts); re-exported for the existing tests.
export { ROOMY_LIMITS, TEST_SECRET, startTestServer } from '../../testing/bootServer.js';
