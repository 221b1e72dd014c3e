#include "demo_profile.h"

#include "chat/conversation_repository.h"
#include "chat/memory_conversation_repository.h"

namespace parlo::ui {

namespace {

qint64 addTurn(app::ConversationRepository &repo, qint64 conversation, qint64 parent, const QString &question,
               const QString &answer)
{
    app::StoredMessage user;
    user.conversationId = conversation;
    user.parentId = parent;
    user.role = QStringLiteral("user");
    user.content = question;
    const qint64 userId = repo.addMessage(user);
    app::StoredMessage reply;
    reply.conversationId = conversation;
    reply.parentId = userId;
    reply.role = QStringLiteral("assistant");
    reply.content = answer;
    // The demo answers are written by hand, so they claim no model, no device and no speeds:
    // the screenshots must not credit an answer to a model that never ran.
    storage::GenerationInfo &g = reply.generation;
    g.modelFile = QStringLiteral("Demo answer, written by hand (no model ran)");
    const qint64 replyId = repo.addMessage(reply);
    repo.setCurrentLeaf(conversation, replyId);
    return replyId;
}

} // namespace

long long seedDemoConversations(app::ConversationRepository &repo)
{
    auto *memory = dynamic_cast<app::MemoryConversationRepository *>(&repo);
    const QDateTime now = QDateTime::currentDateTime();
    struct Older { const char *title; int daysAgo; bool pinned; };
    const Older older[] = {{"Trip plan for Lisbon", 12, false}, {"Sourdough starter schedule", 9, false},
                           {"Explain Rust lifetimes", 4, false},  {"Weekly meal ideas", 1, false},
                           {"Project README wording", 0, true}};
    for (const Older &o : older) {
        const qint64 id = repo.createConversation(QString::fromUtf8(o.title));
        addTurn(repo, id, 0, QString::fromUtf8(o.title), QStringLiteral("Here are some thoughts on that."));
        repo.setPinned(id, o.pinned);
        if (memory)
            memory->setUpdatedAt(id, now.addDays(-o.daysAgo).addSecs(-3600));
    }

    const qint64 id = repo.createConversation(QStringLiteral("Read a file line by line in C++"));
    addTurn(repo, id, 0, QStringLiteral("How do I read a text file line by line in C++?"),
            QStringLiteral(
                "## Reading lines with `std::getline`\n\n"
                "Open the file with an `std::ifstream`, then call `std::getline` until it fails:\n\n"
                "```cpp\n#include <fstream>\n#include <iostream>\n#include <string>\n\n"
                "int main(int argc, char **argv)\n{\n    std::ifstream in(argc > 1 ? argv[1] : \"notes.txt\");\n"
                "    std::string line;\n    long count = 0;\n    while (std::getline(in, line))\n"
                "        ++count; // one per line read\n"
                "    std::cout << count << \" lines\\n\";\n}\n```\n\n"
                "| Approach | Memory | Notes |\n|---|---|---|\n| `std::getline` | one line | simple, portable |\n"
                "| `mmap` | whole file mapped | fastest for huge files |\n\n"
                "- Check the stream **after** each read, not before.\n"
                "- See [cppreference](https://en.cppreference.com/w/cpp/string/basic_string/getline) for details."));
    return id;
}

} // namespace parlo::ui
