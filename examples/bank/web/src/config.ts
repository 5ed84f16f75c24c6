import { WebConfig } from '@stepup-example/contract';

/** Where the bank is: served as `/config.json` next to the app, so one build runs anywhere. */
export type Config = WebConfig;

/** Loads `/config.json` and checks it with the contract's schema (the one the web server checks it with). */
export async function loadConfig(): Promise<Config> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return WebConfig.parse(await response.json());
}
