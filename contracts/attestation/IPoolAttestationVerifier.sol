// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

import {IDealRegistry} from "../interfaces/IDealRegistry.sol";

/// @title IPoolGroth16Verifier
/// @author Tranche (interface of the snarkjs export)
/// @notice The Groth16 verifier snarkjs exports for one pool-attestation circuit instance
/// (`contracts/attestation/generated/Groth16VerifierPool<capacity>.sol`).
/// @dev Public signals, in order: dealId, period, root, maxDelinquencyBps, delinquencyDays, maxWaLtvBps,
/// minBalance (see `circuits/src/instances.ts`).
interface IPoolGroth16Verifier {
    /// @notice Whether the Groth16 proof (pA, pB, pC) verifies for `pubSignals`.
    /// @param pA proof point A (G1)
    /// @param pB proof point B (G2, each coordinate pair as (imaginary, real))
    /// @param pC proof point C (G1)
    /// @param pubSignals the circuit's public signals, each below the BN254 scalar field order
    /// @return true when the proof verifies
    function verifyProof(
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[7] calldata pubSignals
    ) external view returns (bool);
}

/// @title IPoolAttestationVerifier
/// @author Tranche
/// @notice Records zero-knowledge attestations that the loan pool behind a deal meets its covenants.
/// A Groth16 proof shows that the loans committed to by the Poseidon root anchored in the DealRegistry
/// for a deal and period satisfy the covenant thresholds registered for the deal (delinquency ratio by
/// balance, weighted-average LTV, minimum balance), without revealing any loan. Anyone may submit: the
/// proof is the trust.
interface IPoolAttestationVerifier {
    /// @notice A recorded attestation.
    /// @param poolRoot the anchored Poseidon root the proof was checked against
    /// @param thresholds the covenant thresholds the proof was checked against
    /// @param capacity the circuit instance (loan slots) that produced the proof
    /// @param submitter who submitted the proof
    /// @param attestedAt block timestamp of the attestation
    struct Attestation {
        uint256 poolRoot;
        IDealRegistry.CovenantThresholds thresholds;
        uint32 capacity;
        address submitter;
        uint64 attestedAt;
    }

    /// @notice Emitted when a proof is accepted and recorded for a deal and period.
    /// @param dealId the deal (bytes32 of its left-padded UUID)
    /// @param period the reporting period, YYYYMM
    /// @param poolRoot the anchored root the proof was checked against
    /// @param capacity the circuit instance that produced the proof
    /// @param submitter who submitted the proof
    event PoolAttested(
        bytes32 indexed dealId,
        uint32 indexed period,
        uint256 poolRoot,
        uint32 capacity,
        address indexed submitter
    );

    /// @notice No verifier is configured for circuit instances of this capacity.
    error UnknownCircuitCapacity(uint32 capacity);
    /// @notice The deal and period already have an attestation (one per deal and period).
    error AttestationAlreadyRecorded(bytes32 dealId, uint32 period);
    /// @notice The proof does not verify for the deal, the period, the anchored root and the registered
    /// thresholds (e.g. it was made for another root, deal, period or threshold set).
    error InvalidProof(bytes32 dealId, uint32 period);
    /// @notice No attestation was recorded for the deal and period.
    error AttestationNotFound(bytes32 dealId, uint32 period);
    /// @notice Constructor arguments: capacities and verifiers differ in length, a capacity repeats or a
    /// verifier is the zero address.
    error InvalidVerifierConfig();

    /// @notice Verifies a proof that the pool anchored for `dealId` and `period` meets the deal's current
    /// covenant thresholds, and records it. The public signals are not taken from the caller: the contract
    /// builds them from the deal id, the period, the root anchored in the registry and the thresholds
    /// registered there, so only a proof for exactly those can pass.
    /// @dev Reverts with `UnknownCircuitCapacity`, `AttestationAlreadyRecorded`, `InvalidProof`, and the
    /// registry's `DatasetNotAnchored` / `CovenantsNotSet`. Emits `PoolAttested`.
    /// @param dealId the deal (bytes32 of its left-padded UUID)
    /// @param period the reporting period, YYYYMM
    /// @param capacity the circuit instance the proof was made with (selects the Groth16 verifier)
    /// @param pA proof point A
    /// @param pB proof point B (G2, coordinates as `toVerifierCalldata` returns them)
    /// @param pC proof point C
    function attest(
        bytes32 dealId,
        uint32 period,
        uint32 capacity,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC
    ) external;

    /// @notice The registry whose anchors and covenant thresholds proofs are checked against.
    function registry() external view returns (IDealRegistry);

    /// @notice The Groth16 verifier for circuit instances of `capacity` (zero address when none).
    /// @param capacity the circuit capacity, in loan slots
    function verifierFor(uint32 capacity) external view returns (IPoolGroth16Verifier);

    /// @notice Whether an attestation is recorded for `dealId` and `period`.
    /// @param dealId the deal
    /// @param period the reporting period, YYYYMM
    function isAttested(bytes32 dealId, uint32 period) external view returns (bool);

    /// @notice The attestation recorded for `dealId` and `period`.
    /// @dev Reverts with `AttestationNotFound` when there is none.
    /// @param dealId the deal
    /// @param period the reporting period, YYYYMM
    function attestation(bytes32 dealId, uint32 period) external view returns (Attestation memory);
}
