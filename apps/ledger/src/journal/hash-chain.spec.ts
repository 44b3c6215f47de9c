import { describe, expect, it } from '@jest/globals';
import { bankTransfer, paymentRecorded, unattributedReceived } from '../../test/payment-events';
import { GENESIS_HASH, appendToChain, canonicalLink, linkHash, verifyChains } from './hash-chain';
import type { ChainLink } from './hash-chain';
import { postingFor } from './posting-rules';

const merchant = '0190a5c4-1111-7000-8000-000000000001';

function chainOf(n: number, chainId = 'lane-a'): ChainLink[] {
  const txs = Array.from({ length: n }, (_, i) =>
    postingFor(
      i % 3 === 2
        ? unattributedReceived(bankTransfer({ amount: 1000 + i }))
        : paymentRecorded(merchant, bankTransfer({ amount: 1000 + i })),
    ),
  );
  return appendToChain(
    chainId,
    null,
    txs.map((t) => t!),
  );
}

describe('hash chain', () => {
  it('starts from the genesis hash and links each transaction to the previous one', () => {
    const links = chainOf(3);
    expect(links.map((l) => l.chainSeq)).toEqual([1, 2, 3]);
    expect(links[0].prevHash).toBe(GENESIS_HASH);
    expect(links[1].prevHash).toBe(links[0].hash);
    expect(links[2].prevHash).toBe(links[1].hash);
    expect(verifyChains(links)).toEqual({ ok: true, checked: 3, chains: 1 });
  });

  it('continues a chain from its head', () => {
    const first = chainOf(2);
    const more = appendToChain('lane-a', { chainSeq: 2, hash: first[1].hash }, [
      postingFor(paymentRecorded(merchant, bankTransfer()))!,
    ]);
    expect(more[0]).toMatchObject({ chainSeq: 3, prevHash: first[1].hash });
    expect(verifyChains([...first, ...more]).ok).toBe(true);
  });

  it('verifies several chains independently', () => {
    expect(verifyChains([...chainOf(2, 'lane-a'), ...chainOf(4, 'lane-b')])).toEqual({
      ok: true,
      checked: 6,
      chains: 2,
    });
  });

  it('reports a deleted transaction as a gap at the next one', () => {
    const links = chainOf(4);
    const result = verifyChains([links[0], links[1], links[3]]);
    expect(result).toMatchObject({
      ok: false,
      checked: 2,
      broken: { chainSeq: 4, problem: expect.stringMatching(/gap/) },
    });
  });

  it('reports an altered amount at the altered transaction, not later', () => {
    const links = chainOf(5);
    links[2] = { ...links[2], entries: links[2].entries.map((e) => ({ ...e, amount: e.amount * 10n })) };
    expect(verifyChains(links)).toMatchObject({
      ok: false,
      checked: 2,
      broken: { chainSeq: 3, transactionId: links[2].id, problem: expect.stringMatching(/altered/) },
    });
  });

  it('reports a transaction rewritten with a fresh hash at the next link', () => {
    const links = chainOf(4);
    const forged = appendToChain('lane-a', { chainSeq: 1, hash: links[0].hash }, [
      postingFor(paymentRecorded(merchant, bankTransfer({ amount: 1 })))!,
    ])[0];
    const result = verifyChains([links[0], forged, links[2], links[3]]);
    expect(result).toMatchObject({
      ok: false,
      broken: { chainSeq: 3, problem: expect.stringMatching(/previous hash/) },
    });
  });

  it('reports an unbalanced transaction even when its hash was recomputed', () => {
    const [link] = chainOf(1);
    const content = { ...link, entries: [link.entries[0], { ...link.entries[1], amount: 1n }] };
    const hash = linkHash(GENESIS_HASH, content);
    expect(verifyChains([{ ...content, hash }])).toMatchObject({
      ok: false,
      broken: { problem: 'debits do not equal credits' },
    });
  });

  it('serialises a transaction canonically, whatever the memo key order', () => {
    const [link] = chainOf(1);
    const reordered = { ...link, memo: Object.fromEntries(Object.entries(link.memo).reverse()) };
    expect(canonicalLink(reordered)).toBe(canonicalLink(link));
  });
});
