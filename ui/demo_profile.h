// A prepared profile for screenshots and manual testing (`parlo --demo`): a few conversations
// spread over the sidebar's day groups, one pinned, and an answer with a table and code.
#pragma once

namespace parlo::app {
class ConversationRepository;
}

namespace parlo::ui {

// Adds the demo conversations; returns the id of the one to open.
long long seedDemoConversations(app::ConversationRepository &repository);

} // namespace parlo::ui
