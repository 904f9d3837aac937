// Moved to tickwire/testing (testing/http.ts); re-exported for the existing tests.
export { guest, matchmake, postJson } from '../../testing/http.js';
