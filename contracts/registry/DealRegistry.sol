// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Roles} from "../access/Roles.sol";
import {IDealRegistry} from "../interfaces/IDealRegistry.sol";
import {IDealRegistryManager} from "../interfaces/IDealRegistryManager.sol";

/// @title DealRegistry
/// @notice On-chain registry of tokenized deals, their loan-tape dataset anchors, documents and covenant
/// thresholds. Every record is append-only and every change emits an event.
/// @dev `admin` (DEFAULT_ADMIN_ROLE) is the governance TimelockController in production. `pause` is the
/// registry's kill switch (PAUSER_ROLE, at once); `unpause` only through the admin (the timelock's delay).
contract DealRegistry is AccessControl, Pausable, IDealRegistryManager {
    /// @notice Role that registers deals and documents and records covenant thresholds.
    bytes32 public constant ARRANGER_ROLE = Roles.ARRANGER;
    /// @notice Role that anchors loan-tape datasets.
    bytes32 public constant SERVICER_ROLE = Roles.SERVICER;
    /// @notice Role that can flip the kill switch (`pause`).
    bytes32 public constant PAUSER_ROLE = Roles.PAUSER;

    /// @dev Order of the BN254 scalar field: a Poseidon root is an element of it.
    uint256 internal constant BN254_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    mapping(bytes32 dealId => Deal) private _deals;
    mapping(bytes32 dealId => mapping(uint32 period => DatasetAnchor)) private _anchors;
    mapping(bytes32 dealId => uint32[]) private _anchoredPeriods;
    mapping(bytes32 dealId => Document[]) private _documents;
    mapping(bytes32 dealId => CovenantThresholds[]) private _covenants;
    mapping(bytes32 dealId => bool paused) private _pausedDeals;

    /// @dev Writes about a deal stop while that deal is paused (a tenant's kill switch).
    modifier whenDealNotPaused(bytes32 dealId) {
        if (_pausedDeals[dealId]) revert DealIsPaused(dealId);
        _;
    }

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ------------------------------------------------------------------ writes

    /// @inheritdoc IDealRegistryManager
    function registerDeal(
        bytes32 dealId,
        bytes32 metadataHash,
        address[] calldata trancheTokens
    ) external onlyRole(ARRANGER_ROLE) whenNotPaused {
        if (dealId == bytes32(0)) revert InvalidDealId(dealId);
        if (metadataHash == bytes32(0)) revert ZeroHash();
        Deal storage record = _deals[dealId];
        if (record.registeredAt != 0) revert DealAlreadyRegistered(dealId);
        _checkTrancheTokens(trancheTokens);

        record.metadataHash = metadataHash;
        record.trancheTokens = trancheTokens;
        record.registeredAt = uint64(block.timestamp);
        emit DealRegistered(dealId, metadataHash, trancheTokens);
    }

    /// @inheritdoc IDealRegistryManager
    function setCovenantThresholds(
        bytes32 dealId,
        CovenantThresholds calldata thresholds
    ) external onlyRole(ARRANGER_ROLE) whenNotPaused whenDealNotPaused(dealId) {
        if (dealId == bytes32(0)) revert InvalidDealId(dealId);
        if (thresholds.maxDelinquencyBps > 10_000 || thresholds.delinquencyDays == 0) {
            revert InvalidCovenantThresholds(thresholds);
        }
        _covenants[dealId].push(thresholds);
        emit CovenantThresholdsSet(dealId, _covenants[dealId].length, thresholds);
    }

    /// @inheritdoc IDealRegistryManager
    function anchorDataset(
        bytes32 dealId,
        uint32 period,
        bytes32 fileSha256,
        uint256 poseidonRoot
    ) external onlyRole(SERVICER_ROLE) whenNotPaused whenDealNotPaused(dealId) {
        if (dealId == bytes32(0)) revert InvalidDealId(dealId);
        _checkPeriod(period);
        if (fileSha256 == bytes32(0)) revert ZeroHash();
        if (poseidonRoot >= BN254_SCALAR_FIELD) revert PoseidonRootOutOfField(poseidonRoot);
        DatasetAnchor storage anchor = _anchors[dealId][period];
        if (anchor.anchoredAt != 0) revert DatasetAlreadyAnchored(dealId, period);

        anchor.fileSha256 = fileSha256;
        anchor.poseidonRoot = poseidonRoot;
        anchor.anchoredAt = uint64(block.timestamp);
        _anchoredPeriods[dealId].push(period);
        emit DatasetAnchored(dealId, period, fileSha256, poseidonRoot);
    }

    /// @inheritdoc IDealRegistryManager
    function registerDocument(
        bytes32 dealId,
        bytes32 documentHash,
        string calldata uri
    ) external onlyRole(ARRANGER_ROLE) whenNotPaused whenDealNotPaused(dealId) {
        if (dealId == bytes32(0)) revert InvalidDealId(dealId);
        if (documentHash == bytes32(0)) revert ZeroHash();
        if (bytes(uri).length == 0) revert EmptyUri();

        Document[] storage documents = _documents[dealId];
        documents.push(Document({documentHash: documentHash, uri: uri, registeredAt: uint64(block.timestamp)}));
        emit DocumentRegistered(dealId, documents.length - 1, documentHash, uri);
    }

    /// @inheritdoc IDealRegistryManager
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IDealRegistryManager
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @inheritdoc IDealRegistryManager
    function pauseDeal(bytes32 dealId) external onlyRole(PAUSER_ROLE) {
        if (dealId == bytes32(0)) revert InvalidDealId(dealId);
        _pausedDeals[dealId] = true;
        emit DealPauseSet(dealId, true, msg.sender);
    }

    /// @inheritdoc IDealRegistryManager
    function unpauseDeal(bytes32 dealId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pausedDeals[dealId] = false;
        emit DealPauseSet(dealId, false, msg.sender);
    }

    /// @inheritdoc IDealRegistryManager
    function isDealPaused(bytes32 dealId) external view returns (bool) {
        return _pausedDeals[dealId];
    }

    // ------------------------------------------------------------------ reads

    /// @inheritdoc IDealRegistry
    function datasetAnchor(bytes32 dealId, uint32 period) external view returns (DatasetAnchor memory) {
        DatasetAnchor memory anchor = _anchors[dealId][period];
        if (anchor.anchoredAt == 0) revert DatasetNotAnchored(dealId, period);
        return anchor;
    }

    /// @inheritdoc IDealRegistry
    function covenantThresholds(bytes32 dealId) external view returns (CovenantThresholds memory) {
        CovenantThresholds[] storage versions = _covenants[dealId];
        if (versions.length == 0) revert CovenantsNotSet(dealId);
        return versions[versions.length - 1];
    }

    /// @inheritdoc IDealRegistryManager
    function deal(bytes32 dealId) external view returns (Deal memory) {
        Deal memory record = _deals[dealId];
        if (record.registeredAt == 0) revert DealNotRegistered(dealId);
        return record;
    }

    /// @inheritdoc IDealRegistryManager
    function isDatasetAnchored(bytes32 dealId, uint32 period) external view returns (bool) {
        return _anchors[dealId][period].anchoredAt != 0;
    }

    /// @inheritdoc IDealRegistryManager
    function anchoredPeriods(bytes32 dealId) external view returns (uint32[] memory) {
        return _anchoredPeriods[dealId];
    }

    /// @inheritdoc IDealRegistryManager
    function documentCount(bytes32 dealId) external view returns (uint256) {
        return _documents[dealId].length;
    }

    /// @inheritdoc IDealRegistryManager
    function document(bytes32 dealId, uint256 index) external view returns (Document memory) {
        Document[] storage documents = _documents[dealId];
        if (index >= documents.length) revert DocumentNotFound(dealId, index);
        return documents[index];
    }

    /// @inheritdoc IDealRegistryManager
    function covenantVersionCount(bytes32 dealId) external view returns (uint256) {
        return _covenants[dealId].length;
    }

    /// @inheritdoc IDealRegistryManager
    function covenantThresholdsAt(bytes32 dealId, uint256 version) external view returns (CovenantThresholds memory) {
        CovenantThresholds[] storage versions = _covenants[dealId];
        if (version == 0 || version > versions.length) revert CovenantVersionNotFound(dealId, version);
        return versions[version - 1];
    }

    // ------------------------------------------------------------------ internal checks

    function _checkTrancheTokens(address[] calldata trancheTokens) private pure {
        if (trancheTokens.length == 0) revert InvalidTrancheToken(0, address(0));
        for (uint256 i = 0; i < trancheTokens.length; ++i) {
            address token = trancheTokens[i];
            if (token == address(0)) revert InvalidTrancheToken(i, token);
            for (uint256 j = 0; j < i; ++j) {
                if (trancheTokens[j] == token) revert InvalidTrancheToken(i, token);
            }
        }
    }

    function _checkPeriod(uint32 period) private pure {
        uint32 month = period % 100;
        uint32 year = period / 100;
        if (month == 0 || month > 12 || year < 1900 || year > 9999) revert InvalidPeriod(period);
    }
}
