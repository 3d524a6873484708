/**
 * struct lguest_device_desc (spec §1.3, §5.1) decoded from any DataView: the
 * one decoder behind the CLI summary's `devices` and the page's device table.
 */
import { DEVICE_FEATURE_BITS, DEVICE_STATUS_BITS, DEVICE_TYPE_NAMES, PAGE_SIZE } from '../abi/constants.ts';
import { decodeStruct } from '../abi/access.ts';
import { bitNames } from '../abi/bits.ts';
import { layoutOf } from '../abi/layout.ts';
import { LGUEST_DEVICE_DESC } from '../abi/structs.ts';

/** The descriptor page is i386-only in lguest (spec §1.3); the struct has no unsigned long, so both ABIs agree. */
export const DESC = layoutOf(LGUEST_DEVICE_DESC, 'i386');

export interface DescriptorFields {
  readonly type: number;
  /** 'console', 'net', 'block', 'empty' or `type N`. */
  readonly typeName: string;
  readonly features: number;
  readonly featureNames: string[];
  /** Feature bits with no name (a net device's slot number lives here, spec §4.4). */
  readonly featureRest: number;
  readonly status: number;
  readonly statusNames: string[];
  readonly numPages: number;
  readonly pfn: number;
  /** pfn × PAGE_SIZE: where the device's pages start. */
  readonly gpa: number;
}

/** The descriptor at byte `at` of `view`. */
export function decodeDescriptor(view: DataView, at: number): DescriptorFields {
  const d = decodeStruct(view, at, DESC) as Record<string, number>;
  return {
    type: d.type,
    typeName: DEVICE_TYPE_NAMES[d.type] ?? `type ${d.type}`,
    features: d.features,
    featureNames: bitNames(d.features, DEVICE_FEATURE_BITS),
    featureRest: DEVICE_FEATURE_BITS.reduce((rest, [bit]) => rest & ~bit, d.features),
    status: d.status,
    statusNames: bitNames(d.status, DEVICE_STATUS_BITS),
    numPages: d.num_pages,
    pfn: d.pfn,
    gpa: d.pfn * PAGE_SIZE,
  };
}

export const statusNames = (status: number): string[] => bitNames(status, DEVICE_STATUS_BITS);
