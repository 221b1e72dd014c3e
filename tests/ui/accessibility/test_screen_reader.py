#!/usr/bin/python3
"""What a screen reader gets from Parlo: the real app under Xvfb, read through AT-SPI (the
accessibility bus Orca uses), with the demo conversations and stories260K in the models folder.

Checks, on what is showing:
  - every control (button, text field, list item, combo box, check box, slider, spin box) has a
    name;
  - the answer's text is reachable, headings, code and table cells included;
  - names are plain text, not Markdown source a screen reader would spell out;
  - a question and an answer can be told apart;
  - a control works through the accessibility Action interface ("New chat").

Run by CTest as: test_screen_reader.py PARLO_EXECUTABLE. It starts its own D-Bus session,
Xvfb and accessibility bus. Exit code 77 (a skip for CTest) when a tool it needs is missing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def fail(reason):
    print(f"FAIL: {reason}")
    sys.exit(1)


def outer(parlo):
    """Re-runs this script inside a private D-Bus session and X server."""
    for tool in ("dbus-run-session", "dbus-send", "xvfb-run"):
        if not shutil.which(tool):
            skip(f"{tool} is missing (Debian: dbus-daemon, dbus-bin, xvfb; scripts/setup installs them)")
    if not os.path.exists("/usr/libexec/at-spi-bus-launcher"):
        skip("the AT-SPI bus launcher is missing (Debian: at-spi2-core)")
    env = dict(os.environ, PARLO_A11Y_INNER="1")
    cmd = ["dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 1280x900x24",
           sys.executable, os.path.abspath(__file__), parlo]
    return subprocess.run(cmd, env=env, timeout=240).returncode


def walk(acc, showing_only=True):
    """Every accessible below `acc` (depth first) that is showing on screen."""
    import pyatspi
    out = []
    stack = [acc]
    while stack:
        node = stack.pop()
        try:
            if showing_only and node is not acc and not node.getState().contains(pyatspi.STATE_SHOWING):
                continue
            out.append(node)
            stack.extend(node.getChildAtIndex(i) for i in reversed(range(node.childCount)))
        except Exception:  # a node that went away while we walked
            continue
    return [n for n in out if n is not None]


def text_of(node):
    try:
        t = node.queryText()
        return t.getText(0, t.characterCount)
    except Exception:
        return ""


def find_app(timeout, process):
    import pyatspi
    deadline = time.time() + timeout
    while time.time() < deadline and process.poll() is None:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and (app.name or "").lower() == "parlo":
                return app
        time.sleep(0.5)
    return None


def frame_of(app):
    for i in range(app.childCount):
        child = app.getChildAtIndex(i)
        if child is not None and child.getRoleName() == "frame":
            return child
    return None


def wait_for(predicate, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


CONTROL_ROLES = {"push button", "toggle button", "check box", "radio button", "combo box", "text",
                 "list item", "slider", "spin button", "page tab", "menu item"}
# Markdown a screen reader would read aloud as symbols: heading hashes, emphasis stars,
# backticks, table pipes, list dashes at a line start.
MARKDOWN = re.compile(r"(^|\n)#{1,6} |\*\*|`|(^|\n)\|.*\||(^|\n)- ")


def stop_session(app_proc, bus, profile):
    """Ends the app and its accessibility bus and removes the throwaway profile."""
    app_proc.terminate()
    bus.terminate()
    try:
        app_proc.wait(10)
    except subprocess.TimeoutExpired:
        app_proc.kill()
    shutil.rmtree(profile, ignore_errors=True)


def inner(parlo):
    try:
        import pyatspi  # noqa: F401
    except ImportError:
        skip("python3-pyatspi is missing (scripts/setup installs it)")

    profile = tempfile.mkdtemp(prefix="parlo-a11y-")
    env = dict(os.environ)
    env.update(HOME=f"{profile}/home", XDG_DATA_HOME=f"{profile}/data", XDG_CONFIG_HOME=f"{profile}/config",
               XDG_CACHE_HOME=f"{profile}/cache", XDG_RUNTIME_DIR=f"{profile}/runtime",
               QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_ACCESSIBILITY="1")
    for d in ("home", "data/parlo/models", "config", "cache", "runtime"):
        os.makedirs(f"{profile}/{d}", exist_ok=True)
    os.chmod(f"{profile}/runtime", 0o700)
    data = os.environ.get("PARLO_TEST_DATA", "")
    model = os.path.join(data, "models", "stories260K-F32.gguf")
    if not os.path.exists(model):
        skip(f"test data {model} is missing (PARLO_TEST_DATA={data})")
    os.symlink(os.path.realpath(model), f"{profile}/data/parlo/models/stories260K-F32.gguf")

    bus = subprocess.Popen(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"], env=env)
    # Qt looks for the accessibility bus once, at start: start Parlo only when it answers.
    ask = ["dbus-send", "--session", "--dest=org.a11y.Bus", "--print-reply", "/org/a11y/bus", "org.a11y.Bus.GetAddress"]
    if not wait_for(lambda: subprocess.run(ask, env=env, capture_output=True).returncode == 0, 60):
        fail("the AT-SPI bus never came up")
    app_proc = subprocess.Popen([parlo, "--demo", "--theme", "light"], env=env)
    try:
        app = find_app(60, app_proc)
        if app is None and app_proc.poll() is not None:
            # Under load the X server can refuse the very first client; one more try.
            print(f"Parlo exited with {app_proc.returncode} before reaching the bus; starting it again")
            time.sleep(2)
            app_proc = subprocess.Popen([parlo, "--demo", "--theme", "light"], env=env)
            app = find_app(60, app_proc)
        if app is None:
            fail("Parlo never appeared on the accessibility bus")
        frame = frame_of(app)
        if frame is None:
            fail("no window on the accessibility bus")
        # The demo opens its C++ conversation; wait for the answer's code to be exposed.
        if not wait_for(lambda: any("std::getline" in text_of(n) for n in walk(frame)), 30):
            fail("the answer never became readable: no showing node has its text")
        nodes = walk(frame)
        problems = []

        unnamed = [n.getRoleName() for n in nodes if n.getRoleName() in CONTROL_ROLES and not (n.name or "").strip()]
        if unnamed:
            problems.append(f"controls without an accessible name: {unnamed}")

        readable = "\n".join(text_of(n) or (n.name or "") for n in nodes)
        for needle in ("Reading lines with std::getline", "std::ifstream in(argc > 1", "simple, portable",
                       "How do I read a text file line by line"):
            if needle not in readable:
                problems.append(f"a screen reader cannot reach {needle!r}")

        for n in nodes:
            name = n.name or ""
            if MARKDOWN.search(name) and not name.startswith("Code:"):
                problems.append(f"{n.getRoleName()} named with Markdown source: {name[:80]!r}")

        items = [n.name or "" for n in nodes if n.getRoleName() == "list item"]
        if not any(i.startswith("Your message") for i in items):
            problems.append(f"no list item says it is the user's message; list items: {items}")
        if not any(i.startswith("Answer from") for i in items):
            problems.append(f"no list item says it is an answer and from which model; list items: {items}")

        for p in problems:
            print(f"problem: {p}")
        if problems:
            fail(f"{len(problems)} accessibility problems")

        # Operable, not only readable: "New chat" through the Action interface empties the view.
        new_chat = next((n for n in nodes if n.getRoleName() == "push button" and n.name == "New chat"), None)
        if new_chat is None:
            fail("no 'New chat' button")
        action = new_chat.queryAction()
        names = [action.getName(i) for i in range(action.nActions)]
        if not names:
            fail("'New chat' offers no accessibility action")
        lowered = [n.lower() for n in names]
        if "press" not in lowered:
            fail(f"'New chat' offers no press action, only {names}")
        action.doAction(lowered.index("press"))
        if not wait_for(lambda: not any("std::getline" in text_of(n) for n in walk(frame))):
            still = [(n.getRoleName(), (n.name or "")[:60]) for n in walk(frame) if "std::getline" in text_of(n)]
            fail(f"'New chat' through AT-SPI (actions {names}) did not leave the conversation; still showing {still}")
        print(f"PASS: {len(nodes)} showing accessibles checked")
        return 0
    finally:
        stop_session(app_proc, bus, profile)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: test_screen_reader.py PARLO_EXECUTABLE")
        sys.exit(2)
    sys.exit(inner(sys.argv[1]) if os.environ.get("PARLO_A11Y_INNER") else outer(sys.argv[1]))
