// Tree-walking interpreter for parsed templates. Every resource a template can consume is
// bounded (steps, output size, string and list sizes, call depth, evaluation depth, memory
// alive at once, bytes of string work, wall-clock time) and a cancel callback is polled, so a
// hostile or buggy template ends with an error instead of crashing, hanging the app or
// exhausting memory.
#pragma once

#include "chat/jinja_ast.h"
#include "chat/jinja_value.h"

#include <memory>
#include <string>
#include <vector>

namespace parlo::chat::jinja {

struct RenderLimits
{
    size_t maxOutputBytes = 16u << 20;    // also bounds every string a template builds
    uint64_t maxSteps = 5'000'000;        // statements and loop iterations together
    int maxCallDepth = 100;               // macro recursion
    size_t maxCollectionSize = 200'000;  // lists made by range(), '*' or filters
    int maxNesting = 256;                 // evaluation depth: expressions, statements, calls
    size_t maxMemoryBytes = 64u << 20;    // strings, lists and dicts alive at once
    uint64_t maxWorkBytes = 1ull << 30;   // bytes through string operations and filters
    int64_t maxMilliseconds = 0;          // wall clock; 0: none
    std::function<bool()> cancelled;
};

struct Frame
{
    std::shared_ptr<Frame> parent;
    std::vector<std::pair<std::string, Value>> vars;

    const Value *lookup(std::string_view name) const;
    void set(const std::string &name, Value value);
};
using FramePtr = std::shared_ptr<Frame>;

class Interpreter
{
public:
    Interpreter(const RenderLimits &limits, FramePtr globals);
    ~Interpreter();
    Interpreter(const Interpreter &) = delete;
    Interpreter &operator=(const Interpreter &) = delete;

    // Throws JinjaError (with the position of the failing node).
    std::string render(const Body &body);

    const RenderLimits &limits() const { return m_limits; }
    void tick();
    // Throws when a string or list of `size` would exceed the limits.
    void checkStringSize(size_t size) const;
    void checkCollectionSize(size_t size) const;

    Value call(const Value &callee, const CallArgs &args);
    Value getAttr(const Value &obj, const std::string &name);
    Value getItem(const Value &obj, const Value &key);
    // Registers a namespace so that reference cycles through it are broken after rendering.
    void trackNamespace(const Value &ns) { m_namespaces.push_back(ns.dict); }

private:
    enum class Flow { Normal, Break, Continue };
    struct MacroState;
    // One level of evaluation (an expression, a statement): native recursion is bounded by it.
    struct Nest
    {
        explicit Nest(Interpreter &in) : depth(in.m_depth)
        {
            if (++depth > in.m_limits.maxNesting)
                failTooDeep();
        }
        ~Nest() { --depth; }
        int &depth;
    };

    Flow exec(const Body &body, const FramePtr &frame);
    Flow execStmt(const Stmt &stmt, const FramePtr &frame);
    void execFor(const Stmt &stmt, const FramePtr &frame);
    void defineMacro(const Stmt &stmt, const FramePtr &frame, const std::string &name, const FramePtr &target);
    std::string capture(const Body &body, const FramePtr &frame);
    void assign(const Expr &target, const Value &value, const FramePtr &frame);
    void emit(std::string_view text);

    Value eval(const Expr &expr, const FramePtr &frame);
    Value evalInner(const Expr &expr, const FramePtr &frame);
    CallArgs evalArgs(const Expr &expr, const FramePtr &frame);
    Value binary(const std::string &op, const Value &a, const Value &b);
    Value slice(const Value &obj, const Value &start, const Value &stop, const Value &step);
    bool contains(const Value &container, const Value &item);

    // Declared first so that it outlives every value the render made (they give back their
    // memory to it when they die, also in this destructor).
    RenderBudget m_budget;
    const RenderLimits &m_limits;
    FramePtr m_globals;
    std::string m_out;
    size_t m_pendingOut = 0; // bytes in the outer buffers capture() set aside
    uint64_t m_steps = 0;
    int m_callDepth = 0;
    int m_depth = 0;
    std::vector<std::shared_ptr<MacroState>> m_macros;
    std::vector<std::shared_ptr<DictData>> m_namespaces;
};

// Charges the work a call on `self` with `args` may do: the bytes of their strings and a few per
// list or dict item.
void chargeCall(const Value &self, const CallArgs &args);

// Filters, tests and methods, each in its own file.
Value applyFilter(Interpreter &in, const std::string &name, const Value &value, const CallArgs &args);
bool applyTest(Interpreter &in, const std::string &name, const Value &value, const CallArgs &args);
bool hasFilter(const std::string &name);
bool hasTest(const std::string &name);
// Bound method `name` of a string, dict or list; an Undefined when there is none.
Value methodOf(Interpreter &in, const Value &obj, const std::string &name);
// Python's `format % args` for strings.
std::string percentFormat(Interpreter &in, const std::string &format, const Value &args);

} // namespace parlo::chat::jinja
