import { EntityManager } from 'typeorm';
import { generateBoardCode } from './board-code';

/**
 * `count` fresh board codes, distinct from each other and from every stored one. With 35 random
 * bits a clash is rare; the unique index is the last word if two transactions ever drew the
 * same code at the same moment.
 */
export async function allocateBoardCodes(em: EntityManager, count: number): Promise<string[]> {
  for (;;) {
    const codes = Array.from({ length: count }, () => generateBoardCode());
    if (new Set(codes).size !== count) continue;
    const taken = (await em.query('SELECT 1 FROM payout_account WHERE board_code = ANY($1) LIMIT 1', [codes])) as [];
    if (taken.length === 0) return codes;
  }
}
