import { z } from 'zod';

const B64U = /^[A-Za-z0-9_-]*$/;
const b64u = (max: number) => z.string().min(1).max(max).regex(B64U, 'not base64url');

const Common = {
  id: b64u(1400),
  rawId: b64u(1400),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
};

/** The JSON a browser sends after `navigator.credentials.create()` (`startRegistration()`). */
export const RegistrationResponse = z.object({
  ...Common,
  response: z.object({
    clientDataJSON: b64u(4096),
    attestationObject: b64u(32_768),
    authenticatorData: b64u(8192).optional(),
    transports: z.array(z.string().max(32)).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64u(4096).optional(),
  }),
});
export type RegistrationResponse = z.infer<typeof RegistrationResponse>;

/** The JSON a browser sends after `navigator.credentials.get()` (`startAuthentication()`). */
export const AuthenticationResponse = z.object({
  ...Common,
  response: z.object({
    clientDataJSON: b64u(4096),
    authenticatorData: b64u(8192),
    signature: b64u(1024),
    userHandle: b64u(128).optional(),
  }),
});
export type AuthenticationResponse = z.infer<typeof AuthenticationResponse>;

/** Sign-up form: the name the bank greets the customer with. */
export const SignUpRequest = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Please tell us your name.')
    .max(64, 'Please use at most 64 characters.')
    .regex(/^[^<>"\\\p{Cc}]+$/u, 'Please use letters, digits and spaces.'),
});

/** What the account page sends to add an authenticator: its registration response and a nickname. */
export const AddCredentialRequest = z.object({
  nickname: z
    .string()
    .trim()
    .max(40)
    .regex(/^[^<>"\\\p{Cc}]*$/u)
    .optional(),
  credential: RegistrationResponse,
});
