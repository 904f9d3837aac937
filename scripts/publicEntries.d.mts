import type { Plugin } from 'esbuild';
export declare const PUBLIC_ENTRIES: Record<'tickwire' | 'tickwire/protocol' | 'tickwire/client' | 'tickwire/testing', string>;
export declare function publicAliases(): Array<{ find: RegExp; replacement: string }>;
export declare const publicEntriesPlugin: Plugin;
