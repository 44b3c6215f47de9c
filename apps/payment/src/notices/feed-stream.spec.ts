import { describe, expect, it } from '@jest/globals';
import { FeedHub } from './feed-hub';
import type { FeedNotice } from './feed-hub';
import { FeedStream } from './feed-stream';
import type { StreamTarget } from './feed-stream';
import type { PaymentNotice } from './payment-notice';

class FakeResponse implements StreamTarget {
  chunks: string[] = [];
  ended = false;
  writableLength = 0;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.ended = true;
  }
  /** The ids of the payment events written so far. */
  get ids(): string[] {
    return this.chunks.filter((c) => c.startsWith('id: ')).map((c) => c.slice(4, c.indexOf('\n')));
  }
}

const item = (seq: number): FeedNotice => ({
  seq: BigInt(seq),
  notice: { paymentId: `p-${seq}`, amount: seq * 1000, announcement: 'Đã nhận' } as unknown as PaymentNotice,
});

function open(merchantId = 'm-1') {
  const response = new FakeResponse();
  const closed: FeedStream[] = [];
  const stream = new FeedStream(merchantId, response, (s) => closed.push(s));
  stream.open(3000);
  return { response, stream, closed };
}

describe('one live feed connection', () => {
  it('starts with the reconnection delay and holds live notices until the first catch-up', async () => {
    const { response, stream } = open();
    stream.deliver(item(5));
    expect(response.chunks).toEqual(['retry: 3000\n\n']);
    await stream.catchUp(async () => []);
    expect(response.ids).toEqual(['5']);
    expect(response.chunks[1]).toContain('event: payment\n');
  });

  it('replays what the database has after the cursor, then what arrived meanwhile, each once', async () => {
    const { response, stream } = open();
    stream.cursor = 2n;
    let asked: bigint | undefined;
    await stream.catchUp(async (after) => {
      asked = after;
      stream.deliver(item(4)); // committed while the query ran: both live and in the result
      stream.deliver(item(6));
      return [item(4), item(3)];
    });
    expect(asked).toBe(2n);
    expect(response.ids).toEqual(['3', '4', '6']);
    expect(stream.cursor).toBe(6n);
    stream.deliver(item(6));
    stream.deliver(item(7));
    expect(response.ids).toEqual(['3', '4', '6', '7']);
  });

  it('a later catch-up (LISTEN reconnected) starts after the newest id sent', async () => {
    const { response, stream } = open();
    await stream.catchUp(async () => [item(1)]);
    let asked: bigint | undefined;
    await stream.catchUp(async (after) => {
      asked = after;
      return [item(2)];
    });
    expect(asked).toBe(1n);
    expect(response.ids).toEqual(['1', '2']);
  });

  it('a failed catch-up still lets the next one run', async () => {
    const { response, stream } = open();
    await expect(
      stream.catchUp(async () => {
        throw new Error('db down');
      }),
    ).rejects.toThrow('db down');
    await stream.catchUp(async () => [item(9)]);
    expect(response.ids).toEqual(['9']);
  });

  it('cuts off a client that stops reading', async () => {
    const { response, stream, closed } = open();
    await stream.catchUp(async () => []);
    response.writableLength = 2 * 1024 * 1024;
    stream.deliver(item(1));
    expect(response.ended).toBe(true);
    expect(closed).toEqual([stream]);
    stream.deliver(item(2));
    stream.heartbeat();
    expect(response.ids).toEqual(['1']);
  });

  it('sends heartbeats as comments', () => {
    const { response, stream } = open();
    stream.heartbeat();
    expect(response.chunks[1]).toBe(': keep-alive\n\n');
  });
});

describe('feed connections of this instance', () => {
  it('hands a notice only to the connections of its merchant', async () => {
    const hub = new FeedHub<FeedStream>(5);
    const a = open('m-a');
    const b = open('m-b');
    hub.add(a.stream);
    hub.add(b.stream);
    await a.stream.catchUp(async () => []);
    await b.stream.catchUp(async () => []);
    expect(hub.publish('m-a', item(1))).toBe(1);
    expect(hub.publish('m-c', item(2))).toBe(0);
    expect(a.response.ids).toEqual(['1']);
    expect(b.response.ids).toEqual([]);
  });

  it('caps the connections per merchant and frees a place when one closes', () => {
    const hub = new FeedHub<FeedStream>(2);
    const [first, second, third] = [open(), open(), open()];
    expect(hub.add(first.stream)).toBe(true);
    expect(hub.add(second.stream)).toBe(true);
    expect(hub.add(third.stream)).toBe(false);
    expect(hub.add(open('m-2').stream)).toBe(true);
    hub.remove(first.stream);
    expect(hub.add(third.stream)).toBe(true);
    expect(hub.size).toBe(3);
    expect(hub.connectionsOf('m-1')).toBe(2);
  });
});
