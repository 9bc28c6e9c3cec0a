// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.24;

/// @title Roles
/// @notice The platform's roles as OpenZeppelin AccessControl role ids. They mirror the platform roles
/// (ARRANGER, SERVICER, COMPLIANCE, INVESTOR, AUDITOR, ADMIN); ADMIN is AccessControl's
/// `DEFAULT_ADMIN_ROLE`, held by the governance TimelockController.
library Roles {
    bytes32 internal constant ARRANGER = keccak256("ARRANGER_ROLE");
    bytes32 internal constant SERVICER = keccak256("SERVICER_ROLE");
    bytes32 internal constant COMPLIANCE = keccak256("COMPLIANCE_ROLE");
    bytes32 internal constant INVESTOR = keccak256("INVESTOR_ROLE");
    bytes32 internal constant AUDITOR = keccak256("AUDITOR_ROLE");
    /// @dev Operators of the payout rail (fund, push claims); a service key of the platform.
    bytes32 internal constant OPERATOR = keccak256("OPERATOR_ROLE");
    /// @dev Holders of the on-chain kill switches (`pause`); `unpause` stays with the admin.
    bytes32 internal constant PAUSER = keccak256("PAUSER_ROLE");
}
