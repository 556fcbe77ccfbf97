import { describe, expect, it, vi } from 'vitest';

import { allows, takeKeyFromHash } from './session';

describe('takeKeyFromHash', () => {
  it('reads the key of a sign-in link and clears it from the address bar', () => {
    const history = { state: null, replaceState: vi.fn() } as unknown as History;
    const key = takeKeyFromHash({ hash: '#key=lmn_abc%2Bdef', pathname: '/sign-in', search: '?next=/logs' } as Location, history);
    expect(key).toBe('lmn_abc+def');
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/sign-in?next=/logs');
  });

  it('ignores a hash without a key', () => {
    const history = { state: null, replaceState: vi.fn() } as unknown as History;
    expect(takeKeyFromHash({ hash: '#section', pathname: '/', search: '' } as Location, history)).toBeNull();
    expect(history.replaceState).not.toHaveBeenCalled();
  });
});

describe('allows', () => {
  it('lets ADMIN do everything and other roles only their own', () => {
    expect(allows('ADMIN', 'READ')).toBe(true);
    expect(allows('READ', 'READ')).toBe(true);
    expect(allows('INGEST', 'READ')).toBe(false);
    expect(allows(undefined, 'READ')).toBe(false);
  });
});
