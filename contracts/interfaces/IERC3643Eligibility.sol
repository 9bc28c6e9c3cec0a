// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.17;

/// @title IERC3643IdentityRegistryView
/// @notice The part of an ERC-3643 identity registry the platform's contracts read.
interface IERC3643IdentityRegistryView {
    /// @notice Whether `userAddress` has an identity holding valid claims for every required topic.
    function isVerified(address userAddress) external view returns (bool);

    /// @notice The ISO-3166 numeric country code registered for `investorAddress`.
    function investorCountry(address investorAddress) external view returns (uint16);

    /// @notice The ONCHAINID contract registered for `userAddress` (zero when none).
    function identity(address userAddress) external view returns (address);
}

/// @title IERC3643TokenView
/// @notice The part of an ERC-3643 (T-REX) security token the platform's contracts read.
interface IERC3643TokenView {
    /// @notice The identity registry that decides who may hold the token.
    function identityRegistry() external view returns (IERC3643IdentityRegistryView);

    /// @notice Whether the wallet `userAddress` is frozen by an agent.
    function isFrozen(address userAddress) external view returns (bool);

    /// @notice The token's compliance contract (T-REX ModularCompliance).
    function compliance() external view returns (address);

    /// @notice Token balance of `account`.
    function balanceOf(address account) external view returns (uint256);
}
