import { z } from 'zod';

const Config = z.object({
  issuer: z.url(),
  clientId: z.string().min(1),
  apiUrl: z.url(),
  apiResource: z.url(),
  scope: z.string().min(1),
});

/** Where the bank is: served as `/config.json` next to the app, so one build runs anywhere. */
export type Config = z.output<typeof Config>;

/** Loads and checks `/config.json`. */
export async function loadConfig(): Promise<Config> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return Config.parse(await response.json());
}
