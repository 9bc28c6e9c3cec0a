// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title PlatformTimelock
/// @notice The governance timelock that holds DEFAULT_ADMIN_ROLE of every platform contract. The proposer
/// (and canceller) is the platform's k-of-n Safe multisig; execution is open (`address(0)` executor) once
/// the delay has passed. The delay is configured per deployment: 24-48 h in production, short locally.
contract PlatformTimelock is TimelockController {
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}
