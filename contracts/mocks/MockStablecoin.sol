// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockStablecoin
/// @notice A 6-decimals dollar stand-in for local chains and tests only; never deployed elsewhere.
contract MockStablecoin is ERC20, Ownable {
    constructor(address owner_) ERC20("Mock USD", "mUSD") Ownable(owner_) {}

    /// @notice Mints `amount` (6 decimals) to `to`. Only the owner.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
