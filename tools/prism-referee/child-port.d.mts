/** A port nothing listens on at `host` right now, and that no port-0 bind can be given meanwhile. */
export function childPort(host?: string): Promise<number>;
