// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ITREXModularComplianceView, ITREXModule} from "../interfaces/ITREXModule.sol";

/// @title LockUpModule
/// @notice T-REX compliance module for holding periods (Reg D / Reg S): tokens received at issuance
/// (minted) cannot be transferred before the token's lock-up end date; tokens acquired later by
/// transfer stay free. One module serves many tokens: state is kept per compliance contract.
/// @dev Configured through `ModularCompliance.callModuleFunction` (so only the compliance owner, the
/// platform, sets the date). Forced transfers and burns by agents are not blocked: they only shrink
/// the locked amount down to what the holder still has.
contract LockUpModule is ITREXModule {
    /// @notice Emitted when the lock-up end of the token bound to `compliance` was set.
    event LockUpEndSet(address indexed compliance, uint64 lockUpEnd);

    /// @notice `caller` is not the compliance contract it acts for.
    error OnlyBoundCompliance(address caller);
    /// @notice `compliance` is already bound.
    error ComplianceAlreadyBound(address compliance);
    /// @notice `compliance` is the zero address or not the caller.
    error InvalidCompliance(address compliance);

    mapping(address compliance => bool) private _bound;
    mapping(address compliance => uint64) private _lockUpEnd;
    mapping(address compliance => mapping(address holder => uint256)) private _locked;

    modifier onlyComplianceCall() {
        if (!_bound[msg.sender]) revert OnlyBoundCompliance(msg.sender);
        _;
    }

    // ------------------------------------------------------------------ binding

    /// @inheritdoc ITREXModule
    function bindCompliance(address _compliance) external {
        if (_compliance == address(0) || msg.sender != _compliance) revert InvalidCompliance(_compliance);
        if (_bound[_compliance]) revert ComplianceAlreadyBound(_compliance);
        _bound[_compliance] = true;
        emit ComplianceBound(_compliance);
    }

    /// @inheritdoc ITREXModule
    function unbindCompliance(address _compliance) external onlyComplianceCall {
        if (msg.sender != _compliance) revert InvalidCompliance(_compliance);
        _bound[_compliance] = false;
        emit ComplianceUnbound(_compliance);
    }

    // ------------------------------------------------------------------ configuration

    /// @notice Sets the lock-up end (unix seconds) of the calling compliance's token. Only through
    /// `ModularCompliance.callModuleFunction`.
    function setLockUpEnd(uint64 lockUpEnd_) external onlyComplianceCall {
        _lockUpEnd[msg.sender] = lockUpEnd_;
        emit LockUpEndSet(msg.sender, lockUpEnd_);
    }

    // ------------------------------------------------------------------ compliance hooks

    /// @inheritdoc ITREXModule
    function moduleTransferAction(address _from, address, uint256) external onlyComplianceCall {
        _shrinkLocked(msg.sender, _from);
    }

    /// @inheritdoc ITREXModule
    function moduleMintAction(address _to, uint256 _value) external onlyComplianceCall {
        if (block.timestamp < _lockUpEnd[msg.sender]) _locked[msg.sender][_to] += _value;
    }

    /// @inheritdoc ITREXModule
    function moduleBurnAction(address _from, uint256) external onlyComplianceCall {
        _shrinkLocked(msg.sender, _from);
    }

    /// @inheritdoc ITREXModule
    function moduleCheck(address _from, address, uint256 _value, address _compliance) external view returns (bool) {
        if (_from == address(0) || block.timestamp >= _lockUpEnd[_compliance]) return true;
        uint256 locked = _locked[_compliance][_from];
        if (locked == 0) return true;
        uint256 balance = _balanceOf(_compliance, _from);
        return balance >= locked && balance - locked >= _value;
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ITREXModule
    function isComplianceBound(address _compliance) external view returns (bool) {
        return _bound[_compliance];
    }

    /// @inheritdoc ITREXModule
    function canComplianceBind(address) external pure returns (bool) {
        return true;
    }

    /// @inheritdoc ITREXModule
    function isPlugAndPlay() external pure returns (bool) {
        return true;
    }

    /// @inheritdoc ITREXModule
    function name() external pure returns (string memory) {
        return "LockUpModule";
    }

    /// @notice The lock-up end (unix seconds) of the token bound to `compliance`.
    function lockUpEnd(address compliance) external view returns (uint64) {
        return _lockUpEnd[compliance];
    }

    /// @notice The amount of `holder`'s tokens under lock-up for `compliance` (zero once it ended).
    function lockedBalance(address compliance, address holder) external view returns (uint256) {
        if (block.timestamp >= _lockUpEnd[compliance]) return 0;
        return _locked[compliance][holder];
    }

    // ------------------------------------------------------------------ internals

    /// @dev After a forced transfer or burn the holder may hold less than was locked: keep
    /// `locked <= balance` so the lock never exceeds what exists.
    function _shrinkLocked(address compliance, address holder) private {
        uint256 locked = _locked[compliance][holder];
        if (locked == 0) return;
        uint256 balance = _balanceOf(compliance, holder);
        if (balance < locked) _locked[compliance][holder] = balance;
    }

    function _balanceOf(address compliance, address holder) private view returns (uint256) {
        return IERC20(ITREXModularComplianceView(compliance).getTokenBound()).balanceOf(holder);
    }
}
