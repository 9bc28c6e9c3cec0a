// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {IDealRegistry} from "../interfaces/IDealRegistry.sol";
import {IPoolAttestationVerifier, IPoolGroth16Verifier} from "./IPoolAttestationVerifier.sol";

/// @title PoolAttestationVerifier
/// @author Tranche
/// @notice Accepts a Groth16 pool attestation only against the root anchored in the DealRegistry and the
/// covenant thresholds registered there; records one attestation per deal and period.
/// @dev No admin: the registry and the verifier of each circuit capacity are fixed at deployment (a new
/// circuit instance or new keys mean a new deployment). The Groth16 verifiers are the snarkjs exports in
/// `generated/`; their keys come from the phase-2 ceremony documented in docs/zk.md.
contract PoolAttestationVerifier is IPoolAttestationVerifier {
    IDealRegistry private immutable REGISTRY;

    mapping(uint32 capacity => IPoolGroth16Verifier) private _verifiers;
    mapping(bytes32 dealId => mapping(uint32 period => Attestation)) private _attestations;

    /// @notice Fixes the registry and the Groth16 verifier of each circuit capacity.
    /// @param registry_ the DealRegistry holding anchors and covenant thresholds
    /// @param capacities circuit capacities (loan slots), one per verifier
    /// @param verifiers the Groth16 verifier of each capacity
    constructor(IDealRegistry registry_, uint32[] memory capacities, IPoolGroth16Verifier[] memory verifiers) {
        if (address(registry_) == address(0) || capacities.length != verifiers.length || capacities.length == 0) {
            revert InvalidVerifierConfig();
        }
        REGISTRY = registry_;
        for (uint256 i = 0; i < capacities.length; ++i) {
            if (address(verifiers[i]) == address(0) || address(_verifiers[capacities[i]]) != address(0)) {
                revert InvalidVerifierConfig();
            }
            _verifiers[capacities[i]] = verifiers[i];
        }
    }

    // ---------------------------------------------------------------- attest

    /// @inheritdoc IPoolAttestationVerifier
    function attest(
        bytes32 dealId,
        uint32 period,
        uint32 capacity,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC
    ) external {
        // checks
        IPoolGroth16Verifier verifier = _verifiers[capacity];
        if (address(verifier) == address(0)) revert UnknownCircuitCapacity(capacity);
        if (_attestations[dealId][period].attestedAt != 0) revert AttestationAlreadyRecorded(dealId, period);
        uint256 poolRoot = REGISTRY.datasetAnchor(dealId, period).poseidonRoot;
        IDealRegistry.CovenantThresholds memory thresholds = REGISTRY.covenantThresholds(dealId);
        if (!verifier.verifyProof(pA, pB, pC, _publicSignals(dealId, period, poolRoot, thresholds))) {
            revert InvalidProof(dealId, period);
        }

        // effects
        _attestations[dealId][period] = Attestation({
            poolRoot: poolRoot,
            thresholds: thresholds,
            capacity: capacity,
            submitter: msg.sender,
            attestedAt: uint64(block.timestamp)
        });
        emit PoolAttested(dealId, period, poolRoot, capacity, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IPoolAttestationVerifier
    function registry() external view returns (IDealRegistry) {
        return REGISTRY;
    }

    /// @inheritdoc IPoolAttestationVerifier
    function verifierFor(uint32 capacity) external view returns (IPoolGroth16Verifier) {
        return _verifiers[capacity];
    }

    /// @inheritdoc IPoolAttestationVerifier
    function isAttested(bytes32 dealId, uint32 period) external view returns (bool) {
        return _attestations[dealId][period].attestedAt != 0;
    }

    /// @inheritdoc IPoolAttestationVerifier
    function attestation(bytes32 dealId, uint32 period) external view returns (Attestation memory) {
        Attestation memory a = _attestations[dealId][period];
        if (a.attestedAt == 0) revert AttestationNotFound(dealId, period);
        return a;
    }

    // ---------------------------------------------------------------- internal

    /// @dev The circuit's public signals, in its order (circuits/src/instances.ts PUBLIC_SIGNALS).
    function _publicSignals(
        bytes32 dealId,
        uint32 period,
        uint256 poolRoot,
        IDealRegistry.CovenantThresholds memory t
    ) private pure returns (uint256[7] memory signals) {
        signals[0] = uint256(dealId);
        signals[1] = period;
        signals[2] = poolRoot;
        signals[3] = t.maxDelinquencyBps;
        signals[4] = t.delinquencyDays;
        signals[5] = t.maxWaLtvBps;
        signals[6] = t.minBalance;
    }
}
