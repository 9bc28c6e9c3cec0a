// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {IDealRegistry} from "./IDealRegistry.sol";

/// @title IDealRegistryManager
/// @notice The write side of the deal registry: role-gated, append-only records of deals, loan-tape
/// dataset anchors, documents and covenant thresholds, with an event for every change.
/// @dev Extends the read interface `IDealRegistry` consumed by the attestation verifier.
interface IDealRegistryManager is IDealRegistry {
    /// @notice A document attached to a deal (offering memorandum, PSA, servicer report ...).
    /// @param documentHash SHA-256 (or keccak-256) of the document's bytes
    /// @param uri where the document is kept (content-addressed or access-controlled storage)
    /// @param registeredAt block timestamp of the registration
    struct Document {
        bytes32 documentHash;
        string uri;
        uint64 registeredAt;
    }

    /// @notice A registered deal.
    /// @param metadataHash hash of the deal's canonical metadata document
    /// @param trancheTokens the ERC-3643 token of each tranche, in tranche order
    /// @param registeredAt block timestamp of the registration
    struct Deal {
        bytes32 metadataHash;
        address[] trancheTokens;
        uint64 registeredAt;
    }

    /// @notice Emitted when a deal and its tranche tokens are registered.
    event DealRegistered(bytes32 indexed dealId, bytes32 metadataHash, address[] trancheTokens);

    /// @notice Emitted when a loan-tape dataset version is anchored for a deal and period.
    event DatasetAnchored(bytes32 indexed dealId, uint32 indexed period, bytes32 fileSha256, uint256 poseidonRoot);

    /// @notice Emitted when a document is registered for a deal; `index` is its position in the deal's list.
    event DocumentRegistered(bytes32 indexed dealId, uint256 indexed index, bytes32 documentHash, string uri);

    /// @notice Emitted when new covenant thresholds are recorded; `version` counts from 1.
    event CovenantThresholdsSet(bytes32 indexed dealId, uint256 indexed version, CovenantThresholds thresholds);

    /// @notice The dataset for `dealId` and `period` was never anchored.
    error DatasetNotAnchored(bytes32 dealId, uint32 period);
    /// @notice A dataset was already anchored for `dealId` and `period` (anchors are append-only).
    error DatasetAlreadyAnchored(bytes32 dealId, uint32 period);
    /// @notice No covenant thresholds were recorded for `dealId`.
    error CovenantsNotSet(bytes32 dealId);
    /// @notice `dealId` was already registered.
    error DealAlreadyRegistered(bytes32 dealId);
    /// @notice `dealId` was never registered.
    error DealNotRegistered(bytes32 dealId);
    /// @notice The deal id is zero.
    error InvalidDealId(bytes32 dealId);
    /// @notice A deal needs at least one tranche token, none of them the zero address or repeated.
    error InvalidTrancheToken(uint256 index, address token);
    /// @notice `period` is not a YYYYMM number (month 01-12).
    error InvalidPeriod(uint32 period);
    /// @notice `poseidonRoot` is not an element of the BN254 scalar field.
    error PoseidonRootOutOfField(uint256 poseidonRoot);
    /// @notice A hash argument is zero.
    error ZeroHash();
    /// @notice The thresholds are inconsistent (a bps share above 100%, or a zero delinquency bucket).
    error InvalidCovenantThresholds(CovenantThresholds thresholds);

    /// @notice Registers `dealId` with the hash of its metadata and its tranche tokens (issuance).
    /// @dev Only ARRANGER_ROLE, not while paused (`EnforcedPause`). Reverts with `DealAlreadyRegistered`,
    /// `InvalidDealId`, `ZeroHash`, `InvalidTrancheToken`.
    function registerDeal(bytes32 dealId, bytes32 metadataHash, address[] calldata trancheTokens) external;

    /// @notice Records new covenant thresholds for `dealId`; earlier versions stay in the history.
    /// @dev Only ARRANGER_ROLE, not while paused (`EnforcedPause`). Can precede `registerDeal` (thresholds are
    /// set when the deal is structured).
    function setCovenantThresholds(bytes32 dealId, CovenantThresholds calldata thresholds) external;

    /// @notice Anchors the loan-tape dataset of `dealId` for `period` (YYYYMM): its file SHA-256 and the
    /// Poseidon root of its salted loan leaves. Append-only: one anchor per deal and period.
    /// @dev Only SERVICER_ROLE, not while paused (`EnforcedPause`). Reverts with `DatasetAlreadyAnchored`,
    /// `InvalidPeriod`, `PoseidonRootOutOfField`, `ZeroHash`. Can precede `registerDeal` (the tape is
    /// anchored before issuance).
    function anchorDataset(bytes32 dealId, uint32 period, bytes32 fileSha256, uint256 poseidonRoot) external;

    /// @notice Appends a document (hash and URI) to the documents of `dealId`.
    /// @dev Only ARRANGER_ROLE, not while paused (`EnforcedPause`).
    function registerDocument(bytes32 dealId, bytes32 documentHash, string calldata uri) external;

    /// @notice Kill switch: refuses every registration (deals, anchors, documents, covenants) with
    /// `EnforcedPause()` until `unpause`; reads keep working. Takes effect at once.
    /// @dev Only PAUSER_ROLE (the platform's kill-switch keys). Reverts with `EnforcedPause` when paused.
    function pause() external;

    /// @notice Lifts the kill switch.
    /// @dev Only DEFAULT_ADMIN_ROLE, i.e. through the governance timelock and its delay. Reverts with
    /// `ExpectedPause` when not paused.
    function unpause() external;

    /// @notice The registered deal `dealId`. Reverts with `DealNotRegistered`.
    function deal(bytes32 dealId) external view returns (Deal memory);

    /// @notice Whether a dataset was anchored for `dealId` and `period`.
    function isDatasetAnchored(bytes32 dealId, uint32 period) external view returns (bool);

    /// @notice The periods anchored for `dealId`, in anchoring order.
    function anchoredPeriods(bytes32 dealId) external view returns (uint32[] memory);

    /// @notice Number of documents registered for `dealId`.
    function documentCount(bytes32 dealId) external view returns (uint256);

    /// @notice The document at `index` for `dealId`. Reverts with `DocumentNotFound`.
    function document(bytes32 dealId, uint256 index) external view returns (Document memory);

    /// @notice Number of covenant threshold versions recorded for `dealId`.
    function covenantVersionCount(bytes32 dealId) external view returns (uint256);

    /// @notice Covenant thresholds version `version` (1-based) of `dealId`. Reverts with `CovenantVersionNotFound`.
    function covenantThresholdsAt(bytes32 dealId, uint256 version) external view returns (CovenantThresholds memory);

    /// @notice No document at `index` for `dealId`.
    error DocumentNotFound(bytes32 dealId, uint256 index);
    /// @notice No covenant thresholds version `version` for `dealId`.
    error CovenantVersionNotFound(bytes32 dealId, uint256 version);
    /// @notice A document URI is empty.
    error EmptyUri();
    /// @notice `dealId` is paused (its tenant's kill switch): no write about it until unpaused.
    error DealIsPaused(bytes32 dealId);

    /// @notice One deal paused or unpaused by `by`, leaving every other deal of the shared registry alone.
    event DealPauseSet(bytes32 indexed dealId, bool paused, address by);

    /// @notice Pauses one deal: its dataset anchors, documents and covenants (PAUSER_ROLE, at once).
    function pauseDeal(bytes32 dealId) external;

    /// @notice Unpauses one deal (admin: through the timelock's delay).
    function unpauseDeal(bytes32 dealId) external;

    /// @notice Whether `dealId` is paused on its own.
    function isDealPaused(bytes32 dealId) external view returns (bool);
}
