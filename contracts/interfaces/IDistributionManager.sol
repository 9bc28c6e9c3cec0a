// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

/// @title IDistributionManager
/// @notice Escrow and payout rail for tranche distributions. A distribution is funded with a stablecoin
/// from the treasury, then published as the Merkle root of its (index, holder, amount) payouts, signed
/// by k of n registered oracles (EIP-712). Holders claim with a Merkle proof, or an operator pushes
/// claims in batches; either way only holders verified and not frozen in the tranche token's identity
/// registry are paid. A bitmap makes every claim idempotent. After the claim deadline the unclaimed
/// balance returns to the treasury. Publishing costs the same gas whatever the number of holders.
/// @dev Leaves are OpenZeppelin StandardMerkleTree leaves over `(uint256 index, address account,
/// uint256 amount)`: `keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))))`.
interface IDistributionManager {
    /// @notice What the oracles sign (EIP-712 struct `Publication`).
    /// @param distributionId the platform's distribution id
    /// @param token the ERC-3643 tranche token whose holders are paid
    /// @param stablecoin the ERC-20 the payouts are made in (must equal the funded one)
    /// @param merkleRoot root of the payout tree
    /// @param total sum of all payouts in the tree, in the stablecoin's minor units
    /// @param recordBlock the block whose balances decided the payouts
    /// @param claimDeadline unix time after which claims stop and the remainder can be swept
    struct Publication {
        bytes32 distributionId;
        address token;
        address stablecoin;
        bytes32 merkleRoot;
        uint256 total;
        uint64 recordBlock;
        uint64 claimDeadline;
    }

    /// @notice One payout to push in `batchClaimFor`.
    struct ClaimRequest {
        uint256 index;
        address account;
        uint256 amount;
        bytes32[] proof;
    }

    /// @notice State of a distribution.
    /// @param total what the published leaves add up to (minor units)
    /// @param claimed stablecoin paid out from it (minor units); always `claimed <= total <= funded` once published
    /// @param funded stablecoin received for it (minor units)
    /// @param swept whether the remainder was returned to the treasury
    /// @dev `total` and `claimed` share one slot: every claim reads both, and the first claim of a
    /// distribution then updates a slot `publish` already made non-zero (about 17k gas less).
    struct Distribution {
        address token;
        address stablecoin;
        bytes32 merkleRoot;
        uint128 total;
        uint128 claimed;
        uint256 funded;
        uint64 recordBlock;
        uint64 claimDeadline;
        uint64 publishedAt;
        bool swept;
    }

    /// @notice Why a pushed claim was skipped in a batch.
    enum SkipReason {
        AlreadyClaimed,
        HolderNotEligible
    }

    /// @notice Emitted when `amount` of `stablecoin` moved from the treasury into the escrow of `distributionId`.
    event DistributionFunded(bytes32 indexed distributionId, address indexed stablecoin, uint256 amount, uint256 funded);
    /// @notice Emitted when a distribution's payout root was published with enough oracle signatures.
    event DistributionPublished(
        bytes32 indexed distributionId,
        address indexed token,
        address stablecoin,
        bytes32 merkleRoot,
        uint256 total,
        uint64 recordBlock,
        uint64 claimDeadline
    );
    /// @notice Emitted when payout `index` of `distributionId` was paid to `account`.
    event PayoutClaimed(bytes32 indexed distributionId, uint256 indexed index, address indexed account, uint256 amount);
    /// @notice Emitted when a batch skipped payout `index` (already paid, or holder not eligible now).
    event PayoutSkipped(bytes32 indexed distributionId, uint256 indexed index, address indexed account, SkipReason reason);
    /// @notice Emitted when the unclaimed remainder of `distributionId` returned to the treasury.
    event DistributionSwept(bytes32 indexed distributionId, address indexed treasury, uint256 amount);
    /// @notice Emitted when an oracle signer was added or removed.
    event OracleSignerSet(address indexed signer, bool enabled);
    /// @notice Emitted when the number of oracle signatures required to publish changed.
    event OracleThresholdSet(uint256 threshold);
    /// @notice Emitted when the treasury (source of funding, destination of sweeps) changed.
    event TreasurySet(address indexed treasury);

    /// @notice A zero address was given for `field`.
    error ZeroAddress(string field);
    /// @notice An amount was zero.
    error ZeroAmount();
    /// @notice `distributionId` was already published.
    error DistributionAlreadyPublished(bytes32 distributionId);
    /// @notice `distributionId` was never published.
    error DistributionNotPublished(bytes32 distributionId);
    /// @notice `distributionId` was swept and is closed.
    error DistributionClosed(bytes32 distributionId);
    /// @notice `distributionId` was funded in `funded`, not in `given`.
    error StablecoinMismatch(bytes32 distributionId, address funded, address given);
    /// @notice Publishing `total` needs at least that much funding; `funded` was received.
    error InsufficientFunding(bytes32 distributionId, uint256 funded, uint256 total);
    /// @notice The record block must be in the past.
    error RecordBlockNotInPast(uint64 recordBlock, uint256 currentBlock);
    /// @notice The claim deadline must be in the future.
    error ClaimDeadlineNotInFuture(uint64 claimDeadline, uint256 currentTime);
    /// @notice The Merkle root is zero.
    error ZeroMerkleRoot();
    /// @notice Fewer valid oracle signatures than the threshold.
    error InsufficientOracleSignatures(uint256 valid, uint256 threshold);
    /// @notice Signature `position` is not from a registered oracle, or signers are not strictly ascending.
    error InvalidOracleSignature(uint256 position, address recovered);
    /// @notice The threshold must be between 1 and the number of oracle signers.
    error InvalidOracleThreshold(uint256 threshold, uint256 signerCount);
    /// @notice `signer` is already in the requested state.
    error OracleSignerUnchanged(address signer, bool enabled);
    /// @notice Payout `index` of `distributionId` was already paid.
    error PayoutAlreadyClaimed(bytes32 distributionId, uint256 index);
    /// @notice The proof does not show payout (`index`, `account`, `amount`) in the distribution's tree.
    error InvalidMerkleProof(bytes32 distributionId, uint256 index, address account, uint256 amount);
    /// @notice `account` is not verified, or is frozen, in the token's identity registry.
    error HolderNotEligible(bytes32 distributionId, address account);
    /// @notice Claims for `distributionId` ended at `claimDeadline`.
    error ClaimPeriodEnded(bytes32 distributionId, uint64 claimDeadline);
    /// @notice The claim period of `distributionId` runs until `claimDeadline`; it cannot be swept yet.
    error ClaimPeriodNotEnded(bytes32 distributionId, uint64 claimDeadline);
    /// @notice The payout would pay more than the distribution's total.
    error PayoutExceedsTotal(bytes32 distributionId, uint256 claimed, uint256 amount, uint256 total);
    /// @notice `caller` may not sweep (only the treasury or an operator).
    error UnauthorizedSweeper(address caller);

    /// @notice Moves `amount` of `stablecoin` from the treasury into the escrow of `distributionId`.
    /// @dev Only OPERATOR_ROLE, when not paused. The treasury must have approved this contract.
    function fund(bytes32 distributionId, address stablecoin, uint256 amount) external;

    /// @notice Publishes a distribution with EIP-712 signatures over `publication` from at least
    /// `oracleThreshold()` distinct registered oracles, ordered by ascending signer address.
    /// @dev Only OPERATOR_ROLE, when not paused. O(1) in the number of holders.
    function publish(Publication calldata publication, bytes[] calldata signatures) external;

    /// @notice Pays payout `index` (`amount` to the caller) of `distributionId` given its Merkle proof.
    function claim(bytes32 distributionId, uint256 index, uint256 amount, bytes32[] calldata proof) external;

    /// @notice Pays payout `index` to `account` (push payout). Only OPERATOR_ROLE.
    function claimFor(
        bytes32 distributionId,
        uint256 index,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external;

    /// @notice Pushes many payouts; those already paid or to holders not eligible now are skipped with
    /// `PayoutSkipped`, so a retried batch never pays twice. Reverts on an invalid proof. Only OPERATOR_ROLE.
    /// @return paid the number of payouts paid by this call
    function batchClaimFor(bytes32 distributionId, ClaimRequest[] calldata claims) external returns (uint256 paid);

    /// @notice Returns the unclaimed balance of `distributionId` to the treasury after its claim deadline.
    /// @dev Callable by the treasury or an operator. Closes the distribution.
    function sweep(bytes32 distributionId) external returns (uint256 amount);

    /// @notice Whether payout `index` of `distributionId` was paid.
    function isClaimed(bytes32 distributionId, uint256 index) external view returns (bool);

    /// @notice The state of `distributionId`.
    function distribution(bytes32 distributionId) external view returns (Distribution memory);

    /// @notice The EIP-712 digest the oracles sign for `publication`.
    function publicationDigest(Publication calldata publication) external view returns (bytes32);

    /// @notice Whether `signer` is a registered oracle.
    function isOracleSigner(address signer) external view returns (bool);

    /// @notice Number of oracle signatures required to publish.
    function oracleThreshold() external view returns (uint256);

    /// @notice Number of registered oracle signers.
    function oracleSignerCount() external view returns (uint256);

    /// @notice The treasury: source of funding, destination of sweeps.
    function treasury() external view returns (address);

    /// @notice Payouts of `token`'s distributions are paused (its tenant's kill switch).
    error TokenIsPaused(address token);

    /// @notice One token's payouts paused or unpaused by `by`; other tokens' distributions go on.
    event TokenPauseSet(address indexed token, bool paused, address by);

    /// @notice Pauses funding, publication and claims of `token`'s distributions (PAUSER_ROLE, at once).
    function pauseToken(address token) external;

    /// @notice Unpauses `token`'s payouts (admin: through the timelock's delay).
    function unpauseToken(address token) external;

    /// @notice Whether `token`'s payouts are paused on their own.
    function isTokenPaused(address token) external view returns (bool);
}
