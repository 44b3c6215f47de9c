import { describe, expect, it } from '@jest/globals';
import { parseChannelMessage } from './notice-channel';

describe('live feed NOTIFY payload', () => {
  it('ignores malformed payloads', () => {
    for (const bad of ['', 'not json', '{}', '{"merchantId":"m","seq":7}', '{"merchantId":"m","seq":"x"}', 'null']) {
      expect(parseChannelMessage(bad)).toBeUndefined();
    }
  });
});
