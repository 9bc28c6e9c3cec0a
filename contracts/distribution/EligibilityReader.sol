// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.17;

import {IERC3643IdentityRegistryView, IERC3643TokenView} from "../interfaces/IERC3643Eligibility.sol";

/// @title EligibilityReader
/// @notice Reads, in one `eth_call`, which holders of an ERC-3643 token may be paid at a block:
/// verified in its identity registry and not frozen. It is never deployed: its creation code is sent
/// as an `eth_call` (at the record block) and the constructor returns the answer instead of runtime
/// code — one round trip for a thousand holders instead of two thousand calls, on any chain.
/// @dev Returns `abi.encode(bool[] eligible)`, in the order of `holders`.
contract EligibilityReader {
    constructor(IERC3643TokenView token, address[] memory holders) {
        bool[] memory eligible = new bool[](holders.length);
        IERC3643IdentityRegistryView registry = token.identityRegistry();
        for (uint256 i = 0; i < holders.length; ++i) {
            eligible[i] = registry.isVerified(holders[i]) && !token.isFrozen(holders[i]);
        }
        bytes memory answer = abi.encode(eligible);
        // solhint-disable-next-line no-inline-assembly
        assembly {
            return(add(answer, 32), mload(answer))
        }
    }
}
