export { AUTH0_FRESHNESS, AUTH0_MFA_ACR, type Auth0ProfileOptions, auth0 } from './auth0.js';
export { COGNITO_ACR, type CognitoProfileOptions, cognito } from './cognito.js';
export { ENTRA_FRESHNESS, type EntraProfileOptions, entra } from './entra.js';
export { type KeycloakProfileOptions, keycloak } from './keycloak.js';
export { LOGTO_ACR, type LogtoProfileOptions, logto } from './logto.js';
export { OKTA_ACR, type OktaProfileOptions, okta } from './okta.js';
export { ORY_AAL, type OryProfileOptions, ory } from './ory.js';
export type { LevelMap } from './shared.js';
export { type WorkosProfileOptions, workos } from './workos.js';
