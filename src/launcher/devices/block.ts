/**
 * The block device (spec §4.3): one page holding struct lguest_block_page,
 * features RANDOMNESS, watch_key = the page's gpa. The disk image is held in
 * memory (the CLI loads it from a file).
 */
import { LGUEST_BLOCK_PAGE } from '../../abi/structs.ts';
import { LGUEST_DEVICE_T_BLOCK, SECTOR_SIZE } from '../../abi/constants.ts';
import { layoutOf } from '../../abi/layout.ts';
import type { DeviceContext, LauncherDevice } from './device.ts';
import { dma2iov, gather, LauncherExit, scatter, type Iovec } from './iovec.ts';
import { LHREQ_GETDMA, LHREQ_IRQ } from '../../abi/constants.ts';
import { EventKind } from '../../hw/events.ts';
import { asGpa } from '../../base/units.ts';

const BP = layoutOf(LGUEST_BLOCK_PAGE, 'i386').fields;

/** Identity of a disk's contents: a fresh number after every write (checkpoints share unchanged disks). */
let stampCounter = 0;
export const nextDiskStamp = (): number => ++stampCounter;

export class BlockDevice implements LauncherDevice {
  readonly type = LGUEST_DEVICE_T_BLOCK;
  readonly watchKey: number;
  /** Changes whenever the disk's contents do. */
  stamp = nextDiskStamp();
  constructor(
    readonly index: number,
    readonly mem: number,
    /** The disk (the file behind --block=). */
    readonly disk: Uint8Array,
  ) {
    this.watchKey = mem;
  }

  /** num_sectors = file size / SECTOR_SIZE, truncating (spec §4.3). */
  setup(launcher: DeviceContext): void {
    launcher.memory.setU32(this.mem + BP.num_sectors.offset, Math.floor(this.disk.length / SECTOR_SIZE));
  }

  /** handle_block_output (spec §4.3 steps 1-5). */
  handleOutput(launcher: DeviceContext, iov: readonly Iovec[]): number {
    const m = launcher.memory;
    const page = this.mem;
    const type = m.i32(page + BP.type.offset);
    const sector = m.u32(page + BP.sector.offset);
    const bytes = m.u32(page + BP.bytes.offset);
    const off = sector * SECTOR_SIZE;
    const size = this.disk.length;
    if (off >= size) throw new LauncherExit(`Bad offset ${off} vs ${size}`);
    // The reply: the guest's bound one-entry array on the same key.
    const udma = launcher.write(LHREQ_GETDMA, [this.mem]);
    if (udma < 0) throw new LauncherExit("Block request didn't give us a dma buffer");
    // Not an errno: LHREQ_GETDMA returned the gpa of the struct.
    const reply = dma2iov(m, launcher.dmaLayout, asGpa(udma));
    const usedLen = udma + launcher.dmaLayout.usedLen;
    // LHREQ_GETDMA left the irq in used_len (lguest_user.c).
    const irq = m.u32(usedLen);
    let len: number;
    if (type !== 0) {
      const data = gather(m, iov);
      len = data.length;
      // writev extends the file, then the Launcher truncates it back and exits.
      this.disk.set(data.subarray(0, Math.max(0, Math.min(len, size - off))), off);
      this.stamp = nextDiskStamp();
      if (off + len > size) throw new LauncherExit(`Write past end ${off}+${len}`);
      m.setU32(usedLen, 0);
    } else {
      len = scatter(m, reply, this.disk.subarray(off, size));
      m.setU32(usedLen, len);
    }
    // result: 1 done, 2 done with error (bytes ≠ transferred), spec §7.35.
    const result = 1 + (bytes !== len ? 1 : 0);
    m.setU32(page + BP.result.offset, result);
    launcher.emit(EventKind.BLOCK_IO, type === 0 ? 0 : 1, sector, bytes, len, result);
    if (launcher.write(LHREQ_IRQ, [irq]) !== 0) throw new LauncherExit(`Triggering irq ${irq}`);
    return 0;
  }
}
