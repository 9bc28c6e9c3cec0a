// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

/// @title IAuditAnchor
/// @notice Append-only anchors of the platform's audit ledgers. The ledger is one hash chain per
/// tenant, each with its own sequence numbers 1..n; every ledger is anchored on its own, as the
/// Merkle roots of contiguous ranges [firstSeq, lastSeq] of its events, so any event has an
/// inclusion proof against an on-chain root of its own ledger, and one ledger's anchors say
/// nothing about another's.
/// @dev A ledger is named by an opaque `bytes32 ledgerId` chosen by the platform (e.g. keccak256
/// of the tenant id); the contract never interprets it. Leaf of event `seq` with chain hash
/// `eventHash` (the OpenZeppelin StandardMerkleTree leaf of `(uint64 seq, bytes32 eventHash)`):
/// `keccak256(bytes.concat(keccak256(abi.encode(seq, eventHash))))`; inner nodes hash sorted pairs
/// (OpenZeppelin `MerkleProof`). The ledgerId is not part of the leaf: it selects the root a proof
/// is checked against, and the platform's event hashes themselves commit to their tenant.
interface IAuditAnchor {
    /// @notice An anchored range of one ledger's audit events.
    /// @param merkleRoot Merkle root of the range's leaves (see the interface's leaf encoding)
    /// @param firstSeq first sequence number in the range (inclusive)
    /// @param lastSeq last sequence number in the range (inclusive)
    /// @param anchoredAt block timestamp of the anchor
    struct Anchor {
        bytes32 merkleRoot;
        uint64 firstSeq;
        uint64 lastSeq;
        uint64 anchoredAt;
    }

    /// @notice Emitted when the range [firstSeq, lastSeq] of ledger `ledgerId` was anchored as that
    /// ledger's anchor number `index` (0-based, per ledger).
    event RangeAnchored(
        bytes32 indexed ledgerId,
        uint256 indexed index,
        bytes32 merkleRoot,
        uint64 firstSeq,
        uint64 lastSeq
    );

    /// @notice The ledger id is zero (reserved: it is every unset bytes32).
    error ZeroLedgerId();
    /// @notice The Merkle root is zero.
    error ZeroMerkleRoot(bytes32 ledgerId);
    /// @notice `lastSeq` is below `firstSeq`.
    error InvalidRange(bytes32 ledgerId, uint64 firstSeq, uint64 lastSeq);
    /// @notice Ranges of a ledger must be contiguous from 1: the next one starts at `expectedFirstSeq`.
    error NonContiguousRange(bytes32 ledgerId, uint64 expectedFirstSeq, uint64 firstSeq);
    /// @notice No anchor of ledger `ledgerId` covers `seq`.
    error SequenceNotAnchored(bytes32 ledgerId, uint64 seq);
    /// @notice Ledger `ledgerId` has no anchor at `index`.
    error AnchorNotFound(bytes32 ledgerId, uint256 index);

    /// @notice Anchors the range [firstSeq, lastSeq] of ledger `ledgerId` with its Merkle root. A
    /// ledger's first anchor starts at 1; each later one starts right after its previous `lastSeq`.
    /// Ledgers are independent: anchoring one never constrains another.
    /// @dev Only OPERATOR_ROLE (the audit writer), when not paused. Reverts with `ZeroLedgerId`,
    /// `ZeroMerkleRoot`, `InvalidRange` or `NonContiguousRange`; emits `RangeAnchored`.
    /// @param ledgerId the ledger (opaque, non-zero)
    /// @param merkleRoot Merkle root of the range's leaves (non-zero)
    /// @param firstSeq first sequence number of the range
    /// @param lastSeq last sequence number of the range (>= firstSeq)
    function anchor(bytes32 ledgerId, bytes32 merkleRoot, uint64 firstSeq, uint64 lastSeq) external;

    /// @notice Number of anchors of ledger `ledgerId` (0 for a ledger never anchored).
    /// @param ledgerId the ledger
    /// @return count the number of its anchors
    function anchorCount(bytes32 ledgerId) external view returns (uint256 count);

    /// @notice The anchor of ledger `ledgerId` at `index` (0-based). Reverts with `AnchorNotFound`.
    /// @param ledgerId the ledger
    /// @param index the anchor's index in that ledger
    /// @return the anchor
    function anchorAt(bytes32 ledgerId, uint256 index) external view returns (Anchor memory);

    /// @notice The anchor of ledger `ledgerId` whose range covers sequence number `seq`, and its
    /// index (binary search, O(log n)). Reverts with `SequenceNotAnchored`.
    /// @param ledgerId the ledger
    /// @param seq a sequence number of that ledger
    /// @return index the anchor's index in that ledger
    /// @return the anchor
    function anchorOf(bytes32 ledgerId, uint64 seq) external view returns (uint256 index, Anchor memory);

    /// @notice The last anchored sequence number of ledger `ledgerId`; 0 before its first anchor
    /// (the next anchor then starts at `lastAnchoredSeq + 1`).
    /// @param ledgerId the ledger
    /// @return seq the last anchored sequence number, or 0
    function lastAnchoredSeq(bytes32 ledgerId) external view returns (uint64 seq);

    /// @notice Whether event `seq` of ledger `ledgerId`, with chain hash `eventHash`, is proven by
    /// `proof` against the root of the ledger's anchor covering `seq`. False (no revert) when no
    /// anchor of that ledger covers `seq`, or the proof, hash or sequence number does not match.
    /// @param ledgerId the ledger whose anchor is checked
    /// @param seq the event's sequence number in that ledger
    /// @param eventHash the event's chain hash
    /// @param proof sibling hashes from the leaf to the root (StandardMerkleTree `getProof`)
    /// @return verified true when the event is included in the anchored range
    function verifyEvent(
        bytes32 ledgerId,
        uint64 seq,
        bytes32 eventHash,
        bytes32[] calldata proof
    ) external view returns (bool verified);

    /// @notice The Merkle leaf of event `seq` with chain hash `eventHash`:
    /// `keccak256(bytes.concat(keccak256(abi.encode(seq, eventHash))))`.
    /// @param seq the event's sequence number
    /// @param eventHash the event's chain hash
    /// @return leaf the leaf hash
    function ledgerLeaf(uint64 seq, bytes32 eventHash) external pure returns (bytes32 leaf);
}
