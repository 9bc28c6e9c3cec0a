// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title PlatformTimelock
/// @notice The governance timelock that holds DEFAULT_ADMIN_ROLE of every platform contract. Proposers
/// are the platform's ADMIN key(s) (a multisig in production); the delay is 0 on local chains and
/// configured per deployment elsewhere.
contract PlatformTimelock is TimelockController {
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}
