// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.17;

/// @title ITREXModule
/// @notice ABI of a T-REX (ERC-3643) modular-compliance module, as `ModularCompliance` calls it.
/// @dev Mirrors `@tokenysolutions/t-rex` `IModule` (pinned to solc 0.8.17 there), so our modules
/// compile with our compiler and plug into T-REX's `ModularCompliance` unchanged.
interface ITREXModule {
    /// @notice Emitted when a compliance contract bound itself to the module.
    event ComplianceBound(address indexed _compliance);
    /// @notice Emitted when a compliance contract unbound itself from the module.
    event ComplianceUnbound(address indexed _compliance);

    /// @notice Binds the calling compliance contract (`_compliance` must be the caller).
    function bindCompliance(address _compliance) external;
    /// @notice Unbinds the calling compliance contract.
    function unbindCompliance(address _compliance) external;
    /// @notice Called by the compliance after a transfer.
    function moduleTransferAction(address _from, address _to, uint256 _value) external;
    /// @notice Called by the compliance after a mint.
    function moduleMintAction(address _to, uint256 _value) external;
    /// @notice Called by the compliance after a burn.
    function moduleBurnAction(address _from, uint256 _value) external;
    /// @notice Whether the transfer is allowed by this module for `_compliance`.
    function moduleCheck(address _from, address _to, uint256 _value, address _compliance) external view returns (bool);
    /// @notice Whether `_compliance` is bound.
    function isComplianceBound(address _compliance) external view returns (bool);
    /// @notice Whether `_compliance` may bind (only consulted when not plug-and-play).
    function canComplianceBind(address _compliance) external view returns (bool);
    /// @notice Whether the module can be bound to a compliance whose token already has holders.
    function isPlugAndPlay() external pure returns (bool);
    /// @notice The module's name.
    function name() external pure returns (string memory _name);
}

/// @title ITREXModularComplianceView
/// @notice The part of T-REX `ModularCompliance` a module reads.
interface ITREXModularComplianceView {
    /// @notice The token bound to the compliance contract.
    function getTokenBound() external view returns (address);
}
