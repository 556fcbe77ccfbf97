import { describe, expect, it } from 'vitest';

import { checkKeyName } from './keyForm';

describe('checkKeyName', () => {
  it('wants 1 to 100 characters once trimmed, as the server does', () => {
    expect(checkKeyName('chat-backend')).toBeNull();
    expect(checkKeyName('   ')).toEqual({ key: 'nameRequired' });
    expect(checkKeyName(` ${'k'.repeat(100)} `)).toBeNull();
    expect(checkKeyName('k'.repeat(101))).toEqual({ key: 'nameTooLong', params: { max: 100 } });
  });
});
