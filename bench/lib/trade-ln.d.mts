// Types of trade-ln.mjs (used by test/bench/fixest-data.test.ts).
export function conformanceDir(): string;
export function writeTradeLn(file: string, source?: string): { rows: number };
