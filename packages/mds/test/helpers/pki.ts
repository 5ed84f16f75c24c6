// Real PKI made at test time: a root, an intermediate and a BLOB signer (ECDSA P-256 or RSA), with
// CRL distribution points on a 127.0.0.1 server that mints CRLs on request.
import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  type Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  type X509Certificate,
  X509CertificateGenerator,
  X509CrlGenerator,
} from '@peculiar/x509';

export const NOW = new Date('2025-06-01T12:00:00Z');
export const clock = () => NOW.getTime();
const DAY = 86_400_000;

export type KeyKind = 'EC' | 'RSA';

export function algorithmOf(kind: KeyKind) {
  return kind === 'EC'
    ? {
        generate: { name: 'ECDSA', namedCurve: 'P-256' },
        sign: { name: 'ECDSA', hash: 'SHA-256' },
        jws: 'ES256',
      }
    : {
        generate: {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        },
        sign: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        jws: 'RS256',
      };
}

export async function generateKeys(kind: KeyKind = 'EC'): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(algorithmOf(kind).generate, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

export interface Issued {
  readonly cert: X509Certificate;
  readonly keys: CryptoKeyPair;
  readonly kind: KeyKind;
}

export interface IssueOptions {
  subject: string;
  issuer?: Issued;
  ca?: boolean;
  crlUrl?: string;
  notBefore?: Date;
  notAfter?: Date;
  kind?: KeyKind;
  keys?: CryptoKeyPair;
  serialNumber?: string;
  extensions?: Extension[];
}

let serial = 0x1000;

/** Issues a certificate (self-signed when no issuer). */
export async function issue(o: IssueOptions): Promise<Issued> {
  const kind = o.kind ?? 'EC';
  const keys = o.keys ?? (await generateKeys(kind));
  const signer = o.issuer ?? { cert: undefined, keys, kind };
  const extensions: Extension[] = [
    new BasicConstraintsExtension(o.ca ?? false, undefined, true),
    new KeyUsagesExtension(
      o.ca ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature,
      true,
    ),
    await SubjectKeyIdentifierExtension.create(keys.publicKey),
    await AuthorityKeyIdentifierExtension.create(signer.keys.publicKey),
    ...(o.crlUrl ? [new CRLDistributionPointsExtension([o.crlUrl])] : []),
    ...(o.extensions ?? []),
  ];
  const cert = await X509CertificateGenerator.create({
    serialNumber: o.serialNumber ?? (serial++).toString(16).padStart(6, '0'),
    subject: o.subject,
    issuer: signer.cert?.subject ?? o.subject,
    notBefore: o.notBefore ?? new Date(NOW.getTime() - 365 * DAY),
    notAfter: o.notAfter ?? new Date(NOW.getTime() + 5 * 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: signer.keys.privateKey,
    signingAlgorithm: algorithmOf(signer.kind).sign,
    extensions,
  });
  return { cert, keys, kind };
}

export const b64 = (cert: X509Certificate) => Buffer.from(cert.rawData).toString('base64');

/** A CRL server on 127.0.0.1: `/<name>.crl` is signed by the CA registered under `name`. */
export class CrlServer {
  readonly #server: Server;
  readonly #cas = new Map<string, { ca: Issued; revoked: Set<string> }>();
  readonly #routes = new Map<string, (res: import('node:http').ServerResponse) => void>();
  /** Overrides, per CRL name: HTTP status to answer, or bytes to send instead of a CRL. */
  readonly faults = new Map<
    string,
    {
      status?: number;
      body?: Uint8Array;
      thisUpdate?: Date;
      nextUpdate?: Date;
      signWith?: Issued;
      issuer?: string;
    }
  >();
  requests: string[] = [];
  base = '';
  /** The clock CRLs are minted by (thisUpdate one day before, nextUpdate seven days after). */
  clock: () => number = clock;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<CrlServer> {
    const server = createServer();
    const crls = new CrlServer(server);
    server.on('request', (req, res) => void crls.#handle(req.url ?? '/', res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    crls.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return crls;
  }

  url(name: string): string {
    return `${this.base}/${name}.crl`;
  }

  register(name: string, ca: Issued): void {
    this.#cas.set(name, { ca, revoked: new Set() });
  }

  revoke(name: string, cert: X509Certificate): void {
    this.#cas.get(name)?.revoked.add(cert.serialNumber);
  }

  /** Serves arbitrary content at a path (used for BLOB downloads). */
  route(path: string, handler: (res: import('node:http').ServerResponse) => void): void {
    this.#routes.set(path, handler);
  }

  async #handle(url: string, res: import('node:http').ServerResponse): Promise<void> {
    this.requests.push(url);
    const route = this.#routes.get(url);
    if (route) return route(res);
    const name = url.replace(/^\//, '').replace(/\.crl$/, '');
    const entry = this.#cas.get(name);
    const fault = this.faults.get(name);
    if (!entry) return void res.writeHead(404).end();
    if (fault?.status) return void res.writeHead(fault.status).end();
    if (fault?.body) return void res.writeHead(200).end(fault.body);
    const signer = fault?.signWith ?? entry.ca;
    const crl = await X509CrlGenerator.create({
      issuer: fault?.issuer ?? entry.ca.cert.subject,
      thisUpdate: fault?.thisUpdate ?? new Date(this.clock() - DAY),
      nextUpdate: fault?.nextUpdate ?? new Date(this.clock() + 7 * DAY),
      entries: [...entry.revoked].map((serialNumber) => ({
        serialNumber,
        revocationDate: new Date(NOW.getTime() - DAY),
      })),
      signingKey: signer.keys.privateKey,
      signingAlgorithm: algorithmOf(signer.kind).sign,
    });
    res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(Buffer.from(crl.rawData));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** Root → intermediate → signer, CRLs for the intermediate and the signer on `crls`. */
export interface BlobPki {
  readonly root: Issued;
  readonly intermediate: Issued;
  readonly signer: Issued;
  readonly rootPem: string;
}

export async function createBlobPki(
  crls: CrlServer,
  prefix = 'Test',
  kind: KeyKind = 'EC',
): Promise<BlobPki> {
  const root = await issue({ subject: `CN=${prefix} MDS Root`, ca: true, kind });
  const rootName = `${prefix.toLowerCase()}-root`;
  const intermediateName = `${prefix.toLowerCase()}-intermediate`;
  const intermediate = await issue({
    subject: `CN=${prefix} MDS CA-1`,
    issuer: root,
    ca: true,
    crlUrl: crls.url(rootName),
    kind,
  });
  const signer = await issue({
    subject: `CN=${prefix} MDS Signer`,
    issuer: intermediate,
    crlUrl: crls.url(intermediateName),
    kind,
  });
  crls.register(rootName, root);
  crls.register(intermediateName, intermediate);
  return { root, intermediate, signer, rootPem: root.cert.toString('pem') };
}
