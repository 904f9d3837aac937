export declare function buildExampleClient(name: string, outdir?: string): Promise<string>;
