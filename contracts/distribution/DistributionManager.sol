// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {Roles} from "../access/Roles.sol";
import {IDistributionManager} from "../interfaces/IDistributionManager.sol";
import {IERC3643TokenView} from "../interfaces/IERC3643Eligibility.sol";

/// @title DistributionManager
/// @notice Escrowed, oracle-signed Merkle payouts of tranche distributions (see `IDistributionManager`).
/// @dev Accounting per distribution: `claimed <= total <= funded` from publication on, so one
/// distribution can never pay out another's escrow. `pause` is the on-chain kill switch of payouts.
contract DistributionManager is IDistributionManager, AccessControl, Pausable, ReentrancyGuardTransient, EIP712 {
    using SafeERC20 for IERC20;

    /// @notice Role of the platform's payout operator (fund, publish, push claims, sweep).
    bytes32 public constant OPERATOR_ROLE = Roles.OPERATOR;
    /// @notice Role that can flip the kill switch (`pause`); `unpause` needs the admin.
    bytes32 public constant PAUSER_ROLE = Roles.PAUSER;

    /// @notice EIP-712 type hash of `Publication`.
    // solhint-disable gas-small-strings
    bytes32 public constant PUBLICATION_TYPEHASH =
        keccak256(
            "Publication(bytes32 distributionId,address token,address stablecoin,bytes32 merkleRoot,uint256 total,"
            "uint64 recordBlock,uint64 claimDeadline)"
        );
    // solhint-enable gas-small-strings

    address private _treasury;
    uint256 private _oracleThreshold;
    uint256 private _oracleSignerCount;
    mapping(address signer => bool) private _isOracleSigner;

    mapping(bytes32 distributionId => Distribution) private _distributions;
    mapping(bytes32 distributionId => mapping(uint256 word => uint256 bits)) private _claimedBitmap;
    mapping(address token => bool paused) private _pausedTokens;

    constructor(
        address admin,
        address treasury_,
        address[] memory oracleSigners,
        uint256 oracleThreshold_
    ) EIP712("Tranche DistributionManager", "1") {
        if (admin == address(0)) revert ZeroAddress("admin");
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setTreasury(treasury_);
        for (uint256 i = 0; i < oracleSigners.length; ++i) {
            _setOracleSigner(oracleSigners[i], true);
        }
        _setOracleThreshold(oracleThreshold_);
    }

    // ------------------------------------------------------------------ funding and publication

    /// @inheritdoc IDistributionManager
    function fund(
        bytes32 distributionId,
        address stablecoin,
        uint256 amount
    ) external onlyRole(OPERATOR_ROLE) whenNotPaused nonReentrant {
        if (stablecoin == address(0)) revert ZeroAddress("stablecoin");
        if (amount == 0) revert ZeroAmount();
        Distribution storage d = _distributions[distributionId];
        if (d.swept) revert DistributionClosed(distributionId);
        _requireTokenNotPaused(d.token);
        if (d.stablecoin == address(0)) {
            d.stablecoin = stablecoin;
        } else if (d.stablecoin != stablecoin) {
            revert StablecoinMismatch(distributionId, d.stablecoin, stablecoin);
        }

        // Credit what actually arrived, so a fee-on-transfer token cannot inflate the escrow.
        IERC20 coin = IERC20(stablecoin);
        uint256 before = coin.balanceOf(address(this));
        coin.safeTransferFrom(_treasury, address(this), amount);
        uint256 received = coin.balanceOf(address(this)) - before;
        d.funded += received;
        emit DistributionFunded(distributionId, stablecoin, received, d.funded);
    }

    /// @inheritdoc IDistributionManager
    function publish(
        Publication calldata publication,
        bytes[] calldata signatures
    ) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        Distribution storage d = _distributions[publication.distributionId];
        _requireTokenNotPaused(publication.token);
        _checkPublication(publication, d);
        _checkOracleSignatures(_publicationDigest(publication), signatures);

        d.token = publication.token;
        d.merkleRoot = publication.merkleRoot;
        d.total = SafeCast.toUint128(publication.total);
        d.recordBlock = publication.recordBlock;
        d.claimDeadline = publication.claimDeadline;
        d.publishedAt = uint64(block.timestamp);
        emit DistributionPublished(
            publication.distributionId,
            publication.token,
            publication.stablecoin,
            publication.merkleRoot,
            publication.total,
            publication.recordBlock,
            publication.claimDeadline
        );
    }

    // ------------------------------------------------------------------ claims

    /// @inheritdoc IDistributionManager
    function claim(
        bytes32 distributionId,
        uint256 index,
        uint256 amount,
        bytes32[] calldata proof
    ) external whenNotPaused nonReentrant {
        Distribution storage d = _claimableDistribution(distributionId);
        if (_isClaimed(distributionId, index)) revert PayoutAlreadyClaimed(distributionId, index);
        _checkProof(d, distributionId, index, msg.sender, amount, proof);
        if (!_isEligible(d.token, msg.sender)) revert HolderNotEligible(distributionId, msg.sender);
        _pay(d, distributionId, index, msg.sender, amount);
    }

    /// @inheritdoc IDistributionManager
    function claimFor(
        bytes32 distributionId,
        uint256 index,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external onlyRole(OPERATOR_ROLE) whenNotPaused nonReentrant {
        Distribution storage d = _claimableDistribution(distributionId);
        if (_isClaimed(distributionId, index)) revert PayoutAlreadyClaimed(distributionId, index);
        _checkProof(d, distributionId, index, account, amount, proof);
        if (!_isEligible(d.token, account)) revert HolderNotEligible(distributionId, account);
        _pay(d, distributionId, index, account, amount);
    }

    /// @inheritdoc IDistributionManager
    function batchClaimFor(
        bytes32 distributionId,
        ClaimRequest[] calldata claims
    ) external onlyRole(OPERATOR_ROLE) whenNotPaused nonReentrant returns (uint256 paid) {
        Distribution storage d = _claimableDistribution(distributionId);
        for (uint256 i = 0; i < claims.length; ++i) {
            ClaimRequest calldata c = claims[i];
            _checkProof(d, distributionId, c.index, c.account, c.amount, c.proof);
            if (_isClaimed(distributionId, c.index)) {
                emit PayoutSkipped(distributionId, c.index, c.account, SkipReason.AlreadyClaimed);
            } else if (!_isEligible(d.token, c.account)) {
                emit PayoutSkipped(distributionId, c.index, c.account, SkipReason.HolderNotEligible);
            } else {
                _pay(d, distributionId, c.index, c.account, c.amount);
                ++paid;
            }
        }
    }

    /// @inheritdoc IDistributionManager
    function sweep(bytes32 distributionId) external nonReentrant returns (uint256 amount) {
        if (msg.sender != _treasury && !hasRole(OPERATOR_ROLE, msg.sender)) revert UnauthorizedSweeper(msg.sender);
        Distribution storage d = _distributions[distributionId];
        if (d.publishedAt == 0) revert DistributionNotPublished(distributionId);
        if (d.swept) revert DistributionClosed(distributionId);
        if (block.timestamp <= d.claimDeadline) revert ClaimPeriodNotEnded(distributionId, d.claimDeadline);

        amount = d.funded - d.claimed;
        d.swept = true;
        emit DistributionSwept(distributionId, _treasury, amount);
        if (amount > 0) IERC20(d.stablecoin).safeTransfer(_treasury, amount);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Adds (`enabled`) or removes an oracle signer. Only the admin.
    function setOracleSigner(address signer, bool enabled) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setOracleSigner(signer, enabled);
        if (_oracleThreshold > _oracleSignerCount) revert InvalidOracleThreshold(_oracleThreshold, _oracleSignerCount);
    }

    /// @notice Sets how many oracle signatures a publication needs (k of n). Only the admin.
    function setOracleThreshold(uint256 threshold) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setOracleThreshold(threshold);
    }

    /// @notice Sets the treasury. Only the admin.
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasury(treasury_);
    }

    /// @notice Kill switch: stops funding, publication and claims. PAUSER_ROLE.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Lifts the kill switch. Only the admin (the timelock in production).
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @inheritdoc IDistributionManager
    function pauseToken(address token) external onlyRole(PAUSER_ROLE) {
        if (token == address(0)) revert ZeroAddress("token");
        _pausedTokens[token] = true;
        emit TokenPauseSet(token, true, msg.sender);
    }

    /// @inheritdoc IDistributionManager
    function unpauseToken(address token) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pausedTokens[token] = false;
        emit TokenPauseSet(token, false, msg.sender);
    }

    /// @inheritdoc IDistributionManager
    function isTokenPaused(address token) external view returns (bool) {
        return _pausedTokens[token];
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IDistributionManager
    function isClaimed(bytes32 distributionId, uint256 index) external view returns (bool) {
        return _isClaimed(distributionId, index);
    }

    /// @inheritdoc IDistributionManager
    function distribution(bytes32 distributionId) external view returns (Distribution memory) {
        return _distributions[distributionId];
    }

    /// @inheritdoc IDistributionManager
    function publicationDigest(Publication calldata publication) external view returns (bytes32) {
        return _publicationDigest(publication);
    }

    /// @inheritdoc IDistributionManager
    function isOracleSigner(address signer) external view returns (bool) {
        return _isOracleSigner[signer];
    }

    /// @inheritdoc IDistributionManager
    function oracleThreshold() external view returns (uint256) {
        return _oracleThreshold;
    }

    /// @inheritdoc IDistributionManager
    function oracleSignerCount() external view returns (uint256) {
        return _oracleSignerCount;
    }

    /// @inheritdoc IDistributionManager
    function treasury() external view returns (address) {
        return _treasury;
    }

    // ------------------------------------------------------------------ internals

    function _checkPublication(Publication calldata p, Distribution storage d) private view {
        if (d.publishedAt != 0) revert DistributionAlreadyPublished(p.distributionId);
        if (p.token == address(0)) revert ZeroAddress("token");
        if (p.merkleRoot == bytes32(0)) revert ZeroMerkleRoot();
        if (p.total == 0) revert ZeroAmount();
        if (d.stablecoin != p.stablecoin) revert StablecoinMismatch(p.distributionId, d.stablecoin, p.stablecoin);
        if (d.funded < p.total) revert InsufficientFunding(p.distributionId, d.funded, p.total);
        if (p.recordBlock >= block.number) revert RecordBlockNotInPast(p.recordBlock, block.number);
        if (p.claimDeadline <= block.timestamp) revert ClaimDeadlineNotInFuture(p.claimDeadline, block.timestamp);
    }

    /// @dev Every signature must come from a registered oracle, signers strictly ascending (so none
    /// counts twice), and there must be at least `_oracleThreshold` of them.
    function _checkOracleSignatures(bytes32 digest, bytes[] calldata signatures) private view {
        if (signatures.length < _oracleThreshold) {
            revert InsufficientOracleSignatures(signatures.length, _oracleThreshold);
        }
        address previous = address(0);
        for (uint256 i = 0; i < signatures.length; ++i) {
            (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, signatures[i]);
            if (err != ECDSA.RecoverError.NoError || !_isOracleSigner[signer] || signer <= previous) {
                revert InvalidOracleSignature(i, signer);
            }
            previous = signer;
        }
    }

    function _publicationDigest(Publication calldata p) private view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        PUBLICATION_TYPEHASH,
                        p.distributionId,
                        p.token,
                        p.stablecoin,
                        p.merkleRoot,
                        p.total,
                        p.recordBlock,
                        p.claimDeadline
                    )
                )
            );
    }

    function _claimableDistribution(bytes32 distributionId) private view returns (Distribution storage d) {
        d = _distributions[distributionId];
        if (d.publishedAt == 0) revert DistributionNotPublished(distributionId);
        if (block.timestamp > d.claimDeadline) revert ClaimPeriodEnded(distributionId, d.claimDeadline);
        _requireTokenNotPaused(d.token);
    }

    function _requireTokenNotPaused(address token) private view {
        if (token != address(0) && _pausedTokens[token]) revert TokenIsPaused(token);
    }

    function _checkProof(
        Distribution storage d,
        bytes32 distributionId,
        uint256 index,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) private view {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, account, amount))));
        if (!MerkleProof.verifyCalldata(proof, d.merkleRoot, leaf)) {
            revert InvalidMerkleProof(distributionId, index, account, amount);
        }
    }

    /// @dev Who may be paid is decided at the record block, off-chain: the oracles sign only trees whose
    /// leaves are holders verified in the identity registry and not frozen at that block (each oracle
    /// recomputes this itself). On-chain only the cheap check remains: a wallet frozen since (the
    /// platform freezes whenever it revokes an identity's claims: a sanctions hit, an expired
    /// credential) is refused. This saves the identity registry's claim walk (~170k gas a holder);
    /// see docs/contracts.md for the trade-off.
    function _isEligible(address token, address account) private view returns (bool) {
        return !IERC3643TokenView(token).isFrozen(account);
    }

    function _pay(Distribution storage d, bytes32 distributionId, uint256 index, address account, uint256 amount) private {
        uint256 claimed = d.claimed;
        uint256 total = d.total;
        if (claimed + amount > total) revert PayoutExceedsTotal(distributionId, claimed, amount, total);
        _claimedBitmap[distributionId][index >> 8] |= (1 << (index & 0xff));
        d.claimed = uint128(claimed + amount); // <= total, a uint128
        emit PayoutClaimed(distributionId, index, account, amount);
        IERC20(d.stablecoin).safeTransfer(account, amount);
    }

    function _isClaimed(bytes32 distributionId, uint256 index) private view returns (bool) {
        return (_claimedBitmap[distributionId][index >> 8] >> (index & 0xff)) & 1 == 1;
    }

    function _setOracleSigner(address signer, bool enabled) private {
        if (signer == address(0)) revert ZeroAddress("signer");
        if (_isOracleSigner[signer] == enabled) revert OracleSignerUnchanged(signer, enabled);
        _isOracleSigner[signer] = enabled;
        if (enabled) {
            ++_oracleSignerCount;
        } else {
            --_oracleSignerCount;
        }
        emit OracleSignerSet(signer, enabled);
    }

    function _setOracleThreshold(uint256 threshold) private {
        if (threshold == 0 || threshold > _oracleSignerCount) {
            revert InvalidOracleThreshold(threshold, _oracleSignerCount);
        }
        _oracleThreshold = threshold;
        emit OracleThresholdSet(threshold);
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert ZeroAddress("treasury");
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }
}
