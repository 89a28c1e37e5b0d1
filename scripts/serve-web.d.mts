// Types of serve-web.mjs (used by the browser tests and the browser benchmark).
export interface StaticServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}
/** `isolated` (default true): the COOP/COEP headers that give pages SharedArrayBuffer (kernel threads). */
export function startServer(o?: { root?: string; port?: number; host?: string; mounts?: Record<string, string>; isolated?: boolean }): Promise<StaticServer>;
