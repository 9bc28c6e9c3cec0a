// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

/// @title IDealRegistry
/// @notice On-chain registry of tokenized deals: their tranche tokens, loan-tape dataset
/// anchors (file SHA-256 and Poseidon root, per period), documents and covenant thresholds.
/// @dev Deal ids are `bytes32` derived from the platform's deal UUID (the 128-bit UUID,
/// left-padded with zeros), so `uint256(dealId)` is always a valid BN254 field element.
interface IDealRegistry {
    /// @notice Covenant thresholds a deal's collateral pool must meet.
    /// @param maxDelinquencyBps maximum share (bps of pool balance) of loans at least
    /// `delinquencyDays` days delinquent
    /// @param delinquencyDays the delinquency bucket, in days (e.g. 60)
    /// @param maxWaLtvBps maximum balance-weighted average LTV, in bps
    /// @param minBalance minimum total outstanding pool balance, in minor units
    struct CovenantThresholds {
        uint32 maxDelinquencyBps;
        uint32 delinquencyDays;
        uint32 maxWaLtvBps;
        uint128 minBalance;
    }

    /// @notice A loan-tape dataset version anchored for a deal and reporting period.
    /// @param fileSha256 SHA-256 of the loan-tape file as uploaded
    /// @param poseidonRoot Poseidon Merkle root of the salted loan leaves (a BN254 field element)
    /// @param anchoredAt block timestamp of the anchor
    struct DatasetAnchor {
        bytes32 fileSha256;
        uint256 poseidonRoot;
        uint64 anchoredAt;
    }

    /// @notice The dataset anchored for `dealId` and `period` (a YYYYMM number, e.g. 202611).
    /// @dev Reverts with `DatasetNotAnchored(dealId, period)` when none was anchored.
    function datasetAnchor(bytes32 dealId, uint32 period) external view returns (DatasetAnchor memory);

    /// @notice The covenant thresholds currently registered for `dealId`.
    /// @dev Reverts with `CovenantsNotSet(dealId)` when none were recorded.
    function covenantThresholds(bytes32 dealId) external view returns (CovenantThresholds memory);
}
