import type { RequestHandler } from 'express';

/**
 * Closes the connection of a request whose body stops arriving for `idleMs`. Node's own timeouts
 * cover the headers and the whole request; this one cuts a stalled upload long before the request
 * timeout, and only while the body arrives (an answer that takes long to compute is not idleness).
 */
export function bodyIdleTimeout(idleMs: number): RequestHandler {
  return (request, _response, next) => {
    if (request.complete || !(request.headers['transfer-encoding'] || Number(request.headers['content-length'] ?? 0) > 0)) return next();
    const socket = request.socket;
    const destroy = () => socket.destroy();
    socket.setTimeout(idleMs, destroy);
    // setTimeout(0) stops the timer but keeps the listener: remove it too, or every request on a
    // kept-alive connection would add one more.
    const stop = () => {
      socket.setTimeout(0);
      socket.off('timeout', destroy);
    };
    request.once('end', stop);
    request.once('close', stop);
    next();
  };
}
