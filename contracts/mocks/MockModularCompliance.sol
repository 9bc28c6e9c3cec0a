// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity 0.8.37;

/// @title MockModularCompliance
/// @notice Test double of T-REX `ModularCompliance`: binds a token and forwards calls to modules, so a
/// module can be unit-tested with our compiler (and measured by coverage). Tests only.
contract MockModularCompliance {
    address private immutable TOKEN_BOUND;

    constructor(address token) {
        TOKEN_BOUND = token;
    }

    /// @notice The token bound to this compliance (T-REX `getTokenBound`).
    function getTokenBound() external view returns (address) {
        return TOKEN_BOUND;
    }

    /// @notice Calls `module` with `data` as this compliance, bubbling up any revert.
    function forward(address module, bytes calldata data) external returns (bytes memory) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory result) = module.call(data);
        if (!ok) {
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
        return result;
    }
}
