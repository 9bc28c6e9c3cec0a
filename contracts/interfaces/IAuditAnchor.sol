// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

/// @title IAuditAnchor
/// @notice Append-only anchors of the platform's audit hash chain: each anchor is the Merkle root of a
/// contiguous range of audit events [firstSeq, lastSeq], so any event has an inclusion proof against
/// an on-chain root.
interface IAuditAnchor {
    /// @notice An anchored range of audit events.
    /// @param merkleRoot Merkle root of the events' chain hashes, in sequence order
    /// @param firstSeq first audit sequence number in the range (inclusive)
    /// @param lastSeq last audit sequence number in the range (inclusive)
    /// @param anchoredAt block timestamp of the anchor
    struct Anchor {
        bytes32 merkleRoot;
        uint64 firstSeq;
        uint64 lastSeq;
        uint64 anchoredAt;
    }

    /// @notice Emitted when the range [firstSeq, lastSeq] was anchored as anchor number `index`.
    event RangeAnchored(uint256 indexed index, bytes32 merkleRoot, uint64 firstSeq, uint64 lastSeq);

    /// @notice The Merkle root is zero.
    error ZeroMerkleRoot();
    /// @notice `lastSeq` is below `firstSeq`.
    error InvalidRange(uint64 firstSeq, uint64 lastSeq);
    /// @notice Ranges must be contiguous: the next one starts at `expectedFirstSeq`.
    error NonContiguousRange(uint64 expectedFirstSeq, uint64 firstSeq);
    /// @notice No anchor covers `seq`.
    error SequenceNotAnchored(uint64 seq);
    /// @notice No anchor at `index`.
    error AnchorNotFound(uint256 index);

    /// @notice Anchors the range [firstSeq, lastSeq] with its Merkle root. The first anchor may start
    /// anywhere; each later one must start right after the previous `lastSeq`.
    /// @dev Only OPERATOR_ROLE (the audit writer), when not paused.
    function anchor(bytes32 merkleRoot, uint64 firstSeq, uint64 lastSeq) external;

    /// @notice Number of anchors.
    function anchorCount() external view returns (uint256);

    /// @notice The anchor at `index` (0-based). Reverts with `AnchorNotFound`.
    function anchorAt(uint256 index) external view returns (Anchor memory);

    /// @notice The anchor whose range covers audit sequence number `seq`, and its index (O(log n)).
    /// Reverts with `SequenceNotAnchored`.
    function anchorOf(uint64 seq) external view returns (uint256 index, Anchor memory);

    /// @notice The last anchored sequence number (reverts with `SequenceNotAnchored(0)` before any anchor).
    function lastAnchoredSeq() external view returns (uint64);
}
