// SPDX-License-Identifier: GPL-3.0-or-later
// Minimal typings for the untyped GPL-3.0 libraries this package uses (only what we call).

declare module 'circomlibjs' {
  export interface PoseidonField {
    toObject(x: Uint8Array): bigint;
  }
  export interface Poseidon {
    (inputs: readonly bigint[]): Uint8Array;
    F: PoseidonField;
  }
  export function buildPoseidon(): Promise<Poseidon>;
}

declare module 'snarkjs' {
  export interface SnarkjsLogger {
    debug(msg: string): void;
    info(msg: string): void;
    warn(msg: string): void;
    error(msg: string): void;
  }
  export interface Groth16ProofJson {
    pi_a: string[];
    pi_b: string[][];
    pi_c: string[];
    protocol: string;
    curve: string;
  }
  export const groth16: {
    fullProve(
      input: Record<string, unknown>,
      wasmFile: string | Uint8Array,
      zkeyFile: string | Uint8Array,
      logger?: SnarkjsLogger,
    ): Promise<{ proof: Groth16ProofJson; publicSignals: string[] }>;
    verify(
      vkey: unknown,
      publicSignals: readonly string[],
      proof: Groth16ProofJson,
      logger?: SnarkjsLogger,
    ): Promise<boolean>;
  };
  export const wtns: {
    calculate(input: Record<string, unknown>, wasmFile: string, wtnsFile: { type: 'mem' }): Promise<void>;
  };
}

declare module 'snarkjs' {
  export const powersOfTau: {
    newAccumulator(curve: unknown, power: number, fileName: string): Promise<unknown>;
    beacon(
      oldFile: string,
      newFile: string,
      name: string,
      beaconHashHex: string,
      iterExp: number,
    ): Promise<unknown>;
    preparePhase2(oldFile: string, newFile: string): Promise<unknown>;
  };
}

declare module 'ffjavascript' {
  export interface Bn128 {
    Fr: { toObject(x: Uint8Array): bigint };
    terminate(): Promise<void>;
  }
  export function buildBn128(singleThread?: boolean): Promise<Bn128>;
}
