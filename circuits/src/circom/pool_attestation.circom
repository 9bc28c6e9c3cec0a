// SPDX-License-Identifier: GPL-3.0-or-later
pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";

// Zero-knowledge pool attestation.
//
// Proves that the loans committed to by `root` (a Poseidon Merkle root anchored on-chain per deal
// and period) meet public covenant thresholds, without revealing any loan.
//
// Commitment layout (mirrored by circuits/src/commitment.ts; the two must stay identical):
//   packed_i = balance_i + ltvBps_i * 2^BALANCE_BITS + daysDelinquent_i * 2^(BALANCE_BITS + LTV_BITS)
//   leaf_j   = Poseidon16(packed_8j, salt_8j, ..., packed_8j+7, salt_8j+7)      (8 loans per leaf)
//   tree     = Poseidon16 over groups of 16 nodes while more than 16 nodes remain,
//              then one Poseidon(k) over the last k (2..16) nodes = root.
// Packing is injective because every field is range-checked below (48 + 16 + 16 = 80 bits < 253).
//
// Soundness bounds (capacity <= 2^12):
//   balance < 2^48, ltv < 2^16, dpd < 2^16 (each range-checked before any product or comparator);
//   sum of balances < 2^60; sum of balance*ltv < 2^76; threshold products < 2^92; all far below p
//   (~2^253.6), so no sum or product can wrap the field; comparators run over SUM_CMP_BITS < 252.

function ceilLog2(n) {
    var r = 0;
    while ((1 << r) < n) { r++; }
    return r;
}

// Root of the loan-tape commitment tree over `nLeaves` leaf hashes (see layout above).
template PoolTree(nLeaves) {
    var ARITY = 16;
    signal input leaves[nLeaves];
    signal output root;

    assert(nLeaves >= 2);
    var nFull = 0;
    var n = nLeaves;
    while (n > ARITY) {
        assert(n % ARITY == 0);
        nFull += n \ ARITY;
        n = n \ ARITY;
    }

    signal nodes[nLeaves + nFull];
    component full[nFull];
    for (var i = 0; i < nLeaves; i++) {
        nodes[i] <== leaves[i];
    }
    var inOff = 0;
    var outOff = nLeaves;
    var h = 0;
    n = nLeaves;
    while (n > ARITY) {
        for (var k = 0; k < n \ ARITY; k++) {
            full[h] = Poseidon(ARITY);
            for (var c = 0; c < ARITY; c++) {
                full[h].inputs[c] <== nodes[inOff + k * ARITY + c];
            }
            nodes[outOff + k] <== full[h].out;
            h++;
        }
        inOff = outOff;
        outOff += n \ ARITY;
        n = n \ ARITY;
    }
    component top = Poseidon(n);
    for (var c = 0; c < n; c++) {
        top.inputs[c] <== nodes[inOff + c];
    }
    root <== top.out;
}

template PoolAttestation(capacity) {
    var BALANCE_BITS = 48;
    var LTV_BITS = 16;
    var DPD_BITS = 16;
    var LOANS_PER_LEAF = 8;
    var CAP_BITS = ceilLog2(capacity);
    assert(CAP_BITS <= 12);
    assert(capacity % LOANS_PER_LEAF == 0);
    // sums of balance*bps-style products: < 2^(BALANCE_BITS + CAP_BITS + 32)
    var SUM_CMP_BITS = BALANCE_BITS + CAP_BITS + 32;

    // ---- public inputs (order = public signal order; see circuits/src/instances.ts) ----
    signal input dealId;              // uint256(bytes32 deal id): a left-padded 128-bit UUID
    signal input period;              // YYYYMM
    signal input root;                // anchored Poseidon root of the loan tape
    signal input maxDelinquencyBps;   // max share of balance at least delinquencyDays late, bps
    signal input delinquencyDays;     // delinquency bucket D, days
    signal input maxWaLtvBps;         // max balance-weighted average LTV, bps
    signal input minBalance;          // min total outstanding balance, minor units

    // ---- private inputs: one entry per loan slot; padding slots are all zero ----
    signal input balance[capacity];         // minor units, < 2^48
    signal input ltvBps[capacity];          // bps, < 2^16
    signal input daysDelinquent[capacity];  // days, < 2^16
    signal input salt[capacity];            // hiding randomness, any field element

    // dealId and period only need to be bound into the proof; the squares make that explicit
    // (snarkjs also binds every public input through its own extra constraints).
    signal dealIdSquared <== dealId * dealId;
    signal periodSquared <== period * period;

    // ---- public thresholds: range-checked once, before entering a comparator or product ----
    component dBits = Num2Bits(DPD_BITS);
    dBits.in <== delinquencyDays;
    component maxDelBits = Num2Bits(32);
    maxDelBits.in <== maxDelinquencyBps;
    component maxLtvBits = Num2Bits(32);
    maxLtvBits.in <== maxWaLtvBps;
    component minBalBits = Num2Bits(128);
    minBalBits.in <== minBalance;

    // ---- per-loan range checks, delinquency flag, products ----
    component balBits[capacity];
    component ltvBits[capacity];
    component dpdBits[capacity];
    component late[capacity];
    signal lateBalance[capacity];
    signal weightedLtv[capacity];
    signal packed[capacity];
    var totalBalance = 0;
    var totalLateBalance = 0;
    var totalWeightedLtv = 0;
    for (var i = 0; i < capacity; i++) {
        balBits[i] = Num2Bits(BALANCE_BITS);
        balBits[i].in <== balance[i];
        ltvBits[i] = Num2Bits(LTV_BITS);
        ltvBits[i].in <== ltvBps[i];
        dpdBits[i] = Num2Bits(DPD_BITS);
        dpdBits[i].in <== daysDelinquent[i];

        late[i] = GreaterEqThan(DPD_BITS);
        late[i].in[0] <== daysDelinquent[i];
        late[i].in[1] <== delinquencyDays;
        lateBalance[i] <== late[i].out * balance[i];
        weightedLtv[i] <== balance[i] * ltvBps[i];

        packed[i] <== balance[i] + ltvBps[i] * (1 << BALANCE_BITS) + daysDelinquent[i] * (1 << (BALANCE_BITS + LTV_BITS));
        totalBalance += balance[i];
        totalLateBalance += lateBalance[i];
        totalWeightedLtv += weightedLtv[i];
    }

    // ---- commitment: recompute the anchored root ----
    var nLeaves = capacity \ LOANS_PER_LEAF;
    component leafHash[nLeaves];
    component tree = PoolTree(nLeaves);
    for (var j = 0; j < nLeaves; j++) {
        leafHash[j] = Poseidon(2 * LOANS_PER_LEAF);
        for (var k = 0; k < LOANS_PER_LEAF; k++) {
            leafHash[j].inputs[2 * k] <== packed[j * LOANS_PER_LEAF + k];
            leafHash[j].inputs[2 * k + 1] <== salt[j * LOANS_PER_LEAF + k];
        }
        tree.leaves[j] <== leafHash[j].out;
    }
    tree.root === root;

    // ---- statements ----
    // delinquency: sum(balance | dpd >= D) * 10_000 <= maxDelinquencyBps * sum(balance)
    component delinquencyOk = LessEqThan(SUM_CMP_BITS);
    delinquencyOk.in[0] <== totalLateBalance * 10000;
    delinquencyOk.in[1] <== maxDelinquencyBps * totalBalance;
    delinquencyOk.out === 1;

    // weighted-average LTV: sum(balance * ltv) <= maxWaLtvBps * sum(balance)
    component waLtvOk = LessEqThan(SUM_CMP_BITS);
    waLtvOk.in[0] <== totalWeightedLtv;
    waLtvOk.in[1] <== maxWaLtvBps * totalBalance;
    waLtvOk.out === 1;

    // total outstanding balance >= minBalance (both < 2^128)
    component balanceOk = LessEqThan(128);
    balanceOk.in[0] <== minBalance;
    balanceOk.in[1] <== totalBalance;
    balanceOk.out === 1;
}
