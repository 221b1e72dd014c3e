// Survives a model file that changes under its read-only mapping.
//
// Weights are read straight from a mapping of the GGUF file (copying a multi-GB model into
// memory, or locking the file, is not an option: the first doubles memory use, the second does
// not stop `truncate` or `cp`, since Linux has no mandatory locks). When another program
// truncates the file, touching a page past the new end raises SIGBUS, which by default kills
// the whole app mid-token. So every mapping of a model file is registered here, and one
// process-wide SIGBUS handler, on a fault inside a registered range, puts anonymous zero pages
// over the rest of that range (mmap MAP_FIXED), marks the range as lost and returns: the
// faulting instruction runs again and reads zeros. The engine checks the flag after every
// layer and every forward pass and turns it into an error ("the model file changed on disk"),
// so the zeros are never shown as an answer. Faults anywhere else keep their previous action
// (another handler, or the default: the process dies as before).
//
// The handler is async-signal-safe: a fixed table of atomics (no allocation, no locks), one
// mmap system call and, for foreign faults, sigaction/raise.
#pragma once

#include <cstddef>

namespace parlo::core {

// Registers [base, base + size). Returns a slot for the other calls, or -1 when the table is
// full (then that mapping is simply unguarded, as before). Installs the handler on first use.
int guardMapping(const void *base, size_t size);

// Forgets the slot; call before unmapping the range.
void unguardMapping(int slot);

// True once a page of the slot's range vanished and was replaced by zeros.
bool mappingLost(int slot);

} // namespace parlo::core
