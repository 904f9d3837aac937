import { startTestServer } from './test/support/testServer.js';
const s = await startTestServer({ botFillDelayMs: 500, seed: null });
console.log(s.http);
process.on('SIGTERM', async () => { await s.close(); process.exit(0); });
