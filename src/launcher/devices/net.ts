/**
 * The --sharenet network device (spec §4.4): one page of lguest_net MAC slots
 * shared by every guest on the network (a MAP_SHARED file in the real
 * Launcher), type 2, features = slot | NOCSUM. It has no handlers: all
 * traffic goes guest to guest through shared keys in the Host (§2.4).
 */
import { LGUEST_DEVICE_T_NET, PAGE_SIZE } from '../../abi/constants.ts';
import { LGUEST_NET } from '../../abi/structs.ts';
import { layoutOf } from '../../abi/layout.ts';
import { SharedObject, type Allocator } from '../../hw/shared-object.ts';
import type { LauncherDevice } from './device.ts';
import { LauncherExit } from './iovec.ts';

/** Slots in one page: 682 six-byte entries (spec §1.3). */
export const NET_SLOTS = Math.floor(PAGE_SIZE / layoutOf(LGUEST_NET, 'i386').size);

/** The network file: its page and which slots are locked (fcntl locks at offset i). */
export class Network {
  readonly object: SharedObject;
  private readonly locked = new Set<number>();
  constructor(id: number, readonly name: string, alloc: Allocator) {
    this.object = new SharedObject(id, `net:${name}`, 1, alloc);
  }

  /** The first slot whose 1-byte lock is free (spec §4.4). */
  claimSlot(): number {
    for (let i = 0; i < NET_SLOTS; i++) {
      if (!this.locked.has(i)) {
        this.locked.add(i);
        return i;
      }
    }
    throw new LauncherExit(`No free slots in network file ${this.name}`);
  }

  /** Locked slots, for checkpoints. */
  /** The locked MAC slots, ascending (the network's only state outside its shared page). */
  save(): number[] {
    return [...this.locked].sort((a, b) => a - b);
  }

  restore(slots: readonly number[]): void {
    this.locked.clear();
    for (const s of slots) this.locked.add(s);
  }

  /** The lock goes when the Launcher dies. */
  releaseSlot(i: number): void {
    this.locked.delete(i);
  }
}

export class NetDevice implements LauncherDevice {
  readonly type = LGUEST_DEVICE_T_NET;
  readonly watchKey: number;
  constructor(
    readonly index: number,
    readonly mem: number,
    readonly network: Network,
    readonly slot: number,
  ) {
    this.watchKey = mem;
  }
}
