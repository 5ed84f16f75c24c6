import type { WebConfig } from '@stepup-example/contract';

/** The bank's web configuration on its fixed localhost ports (`npm start`, `npm run dev`). */
export const DEFAULT_WEB_CONFIG: WebConfig = {
  issuer: 'http://localhost:4000',
  clientId: 'bank-web',
  apiUrl: 'http://localhost:4001',
  apiResource: 'http://localhost:4001',
  scope: 'openid profile offline_access accounts:read transfers:write payees:write',
};
