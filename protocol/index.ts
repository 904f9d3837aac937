/** The protocol package: everything client, server, bots and k6 share. */
export * from './version.js';
export * from './closeCodes.js';
export * from './quantize.js';
export * from './movement.js';
export * from './messages.js';
export * from './snapshot.js';
export * from './phase.js';
export * from './arena.js';
export * from './projectile.js';
export * from './clientCodec.js';
export * from './serverCodec.js';
export * from './text.js';
export * from './result.js';
export * from './snapshotFrame.js';
export * from './snapshotWriter.js';
export * from './modeSchema.js';
export * from './pollFraming.js';
