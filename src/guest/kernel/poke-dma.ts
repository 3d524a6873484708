/**
 * `poke-dma ADDR`: a SEND_DMA with a key the user chose, of an empty
 * lguest_dma. Teaching aid for spec §2.2: a key must be 4-byte aligned and
 * inside the guest's mapped memory, or the Host kills the guest with
 * "bad sending DMA key"; a valid private key goes to the Launcher, which
 * warns "Pending dma" unless a device watches it (spec §4.1).
 */
import { LHCALL_SEND_DMA } from '../../abi/constants.ts';
import type { Trap } from '../../hw/cpu.ts';
import { usedLen, writeDma } from './dma.ts';
import { POKE_DMA } from './layout.ts';
import { type Ctx, type PokeJob, hcall } from './state.ts';

export function stepPoke(ctx: Ctx, job: PokeJob): Trap | null {
  if (job.phase !== 0) return null;
  job.phase = 1;
  writeDma(ctx.mem, ctx.L.dma, POKE_DMA, []);
  return hcall(LHCALL_SEND_DMA, job.key, POKE_DMA);
}

/** What the Host or Launcher wrote back. */
export function pokeUsedLen(ctx: Ctx): number {
  return usedLen(ctx.mem, ctx.L.dma, POKE_DMA);
}
