import type { z } from 'zod';

// Everything the app keeps lives in this tab's sessionStorage: it survives the round trip to the
// authorization server and a reload, and ends with the tab.

/** Reads and checks a stored value; a corrupt or outdated one is dropped. */
export function readStored<S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined {
  const raw = sessionStorage.getItem(key);
  if (raw === null) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: fall through and drop it.
  }
  sessionStorage.removeItem(key);
  return undefined;
}

export function writeStored(key: string, value: unknown): void {
  sessionStorage.setItem(key, JSON.stringify(value));
}

export function removeStored(key: string): void {
  sessionStorage.removeItem(key);
}
