// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {IERC3643IdentityRegistryView, IERC3643TokenView} from "../interfaces/IERC3643Eligibility.sol";

/// @title MockERC3643Token
/// @notice Test double of an ERC-3643 token and its identity registry: eligibility is set directly.
/// Tests only; the real tokens are T-REX.
contract MockERC3643Token is IERC3643TokenView, IERC3643IdentityRegistryView {
    mapping(address account => bool) public verified;
    mapping(address account => bool) public frozen;

    /// @notice Marks `account` verified (or not) in the mock identity registry.
    function setVerified(address account, bool value) external {
        verified[account] = value;
    }

    /// @notice Freezes (or unfreezes) `account`.
    function setFrozen(address account, bool value) external {
        frozen[account] = value;
    }

    /// @inheritdoc IERC3643TokenView
    function identityRegistry() external view returns (IERC3643IdentityRegistryView) {
        return IERC3643IdentityRegistryView(address(this));
    }

    /// @inheritdoc IERC3643TokenView
    function isFrozen(address account) external view returns (bool) {
        return frozen[account];
    }

    /// @inheritdoc IERC3643TokenView
    function compliance() external pure returns (address) {
        return address(0);
    }

    /// @inheritdoc IERC3643TokenView
    function balanceOf(address) external pure returns (uint256) {
        return 0;
    }

    /// @inheritdoc IERC3643IdentityRegistryView
    function isVerified(address account) external view returns (bool) {
        return verified[account];
    }

    /// @inheritdoc IERC3643IdentityRegistryView
    function investorCountry(address) external pure returns (uint16) {
        return 0;
    }

    /// @inheritdoc IERC3643IdentityRegistryView
    function identity(address) external pure returns (address) {
        return address(0);
    }
}
