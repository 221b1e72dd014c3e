// Routes the engine's logging hook into Qt logging categories (parlo.<subsystem>).
#pragma once

namespace parlo::app {
void installEngineLogBridge();
}
