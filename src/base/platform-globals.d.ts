/**
 * The few platform globals the DOM-free core may use: present in Node >= 18,
 * in Web Workers and in pages alike. Declared here because the core's
 * tsconfig leaves out the DOM lib on purpose (a stray `window` must fail).
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: ArrayBufferView | ArrayBufferLike): string;
}
declare function atob(data: string): string;
declare function btoa(data: string): string;
declare function structuredClone<T>(value: T): T;
