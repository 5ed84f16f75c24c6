import { IncomingMessage } from 'node:http';
import type { StepUpGrant } from '@stepup/core';
import type { Request } from 'express';

// Why not `req.stepUp = grant`: Express 5 gives every request its own hidden class (it changes the
// prototype of each `IncomingMessage` it receives), so adding a property to `req` builds a new one per
// request, measured at ~5 µs here, more than the whole decision on a cache hit. Instead `stepUp` is an
// accessor on the request prototype that Express's apps share (the one right above
// `http.IncomingMessage.prototype`), defined once, and the grant lives in a WeakMap keyed by the request.
// Reading and writing `req.stepUp` work as before, for every app and sub-app on that Express copy.
const grants = new WeakMap<object, StepUpGrant | undefined>();

const accessor = {
  configurable: true,
  enumerable: false,
  get(this: object): StepUpGrant | undefined {
    return grants.get(this);
  },
  set(this: object, grant: StepUpGrant | undefined) {
    grants.set(this, grant);
  },
};

/** The prototype to hold the accessor: Express's shared request prototype, or `undefined`. */
function sharedPrototype(req: object): object | undefined {
  let proto = Object.getPrototypeOf(req) as object | null;
  while (proto !== null && Object.getPrototypeOf(proto) !== IncomingMessage.prototype)
    proto = Object.getPrototypeOf(proto) as object | null;
  return proto ?? undefined;
}

/** Per immediate prototype (an app's `request`): whether `stepUp` on its requests is our accessor. */
const viaAccessor = new WeakMap<object, boolean>();

function prepare(req: Request, proto: object): boolean {
  const shared = sharedPrototype(req);
  // Defined once per shared prototype, and never over a `stepUp` someone else defined there.
  if (shared !== undefined && !Object.hasOwn(shared, 'stepUp'))
    Object.defineProperty(shared, 'stepUp', accessor);
  // Ours when the request finds exactly our accessor, and has no `stepUp` of its own.
  let holder: object | null = proto;
  while (holder !== null && !Object.hasOwn(holder, 'stepUp')) holder = Object.getPrototypeOf(holder);
  const ours = holder !== null && Object.getOwnPropertyDescriptor(holder, 'stepUp')?.get === accessor.get;
  viaAccessor.set(proto, ours);
  return ours;
}

/**
 * Sets `req.stepUp`. On a request whose prototype chain has no shared Express request prototype (a
 * test double, another server), or where something else defined `stepUp`, it is a plain assignment.
 */
export function setGrant(req: Request, grant: StepUpGrant): void {
  const proto = Object.getPrototypeOf(req) as object | null;
  const ours = proto === null ? false : (viaAccessor.get(proto) ?? prepare(req, proto));
  if (ours && !Object.hasOwn(req, 'stepUp')) grants.set(req, grant);
  else req.stepUp = grant;
}
