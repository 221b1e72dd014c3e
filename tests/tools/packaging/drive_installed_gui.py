#!/usr/bin/python3
"""Drives an installed Parlo the way a user does, through AT-SPI (what Orca uses): start it with an
empty profile, open the settings and their folder dialog, then put stories260K in the models
folder, rescan, load it, ask a question and wait for the answer.

Run (by install_in_clean_root.sh, inside the clean Debian root) as:
    drive_installed_gui.py PARLO_EXECUTABLE MODEL.gguf
It starts its own D-Bus session, Xvfb and accessibility bus. The AT-SPI helpers are those of
tests/ui/accessibility/test_screen_reader.py, which must sit beside this file (or on PYTHONPATH).
Exit code 77 (a skip for CTest) when a tool it needs is missing.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import test_screen_reader as a11y  # noqa: E402  (walk, text_of, find_app, frame_of, wait_for, skip, fail)


def outer(parlo, model):
    for tool in ("dbus-run-session", "dbus-send", "xvfb-run"):
        if not shutil.which(tool):
            a11y.skip(f"{tool} is missing")
    if not os.path.exists("/usr/libexec/at-spi-bus-launcher"):
        a11y.skip("the AT-SPI bus launcher is missing (Debian: at-spi2-core)")
    env = dict(os.environ, PARLO_DRIVE_INNER="1")
    cmd = ["dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 1280x900x24",
           sys.executable, os.path.abspath(__file__), parlo, model]
    return subprocess.run(cmd, env=env, timeout=400).returncode


def named(frame, role, name):
    return next((n for n in a11y.walk(frame) if n.getRoleName() == role and (n.name or "") == name), None)


def press(node, what):
    action = node.queryAction()
    names = [action.getName(i).lower() for i in range(action.nActions)]
    if "press" not in names:
        a11y.fail(f"{what} offers no press action, only {names}")
    action.doAction(names.index("press"))


def wait_node(frame, what, predicate, timeout=30):
    found = []

    def look():
        found[:] = [n for n in a11y.walk(frame) if predicate(n)]
        return bool(found)

    if not a11y.wait_for(look, timeout):
        showing = sorted({f"{n.getRoleName()}:{(n.name or a11y.text_of(n))[:40]}" for n in a11y.walk(frame)})
        a11y.fail(f"{what} never showed; showing: {showing}")
    return found[0]


def type_into(node, text):
    """Sets a text field's contents the way an on-screen keyboard would: EditableText, else keys."""
    import pyatspi
    try:
        if node.queryEditableText().setTextContents(text):
            return
    except NotImplementedError:
        pass
    node.queryComponent().grabFocus()
    for ch in text:
        pyatspi.Registry.generateKeyboardEvent(ord(ch), None, pyatspi.KEY_SYM)


def inner(parlo, model):
    try:
        import pyatspi  # noqa: F401
    except ImportError:
        a11y.skip("python3-pyatspi is missing")
    profile = tempfile.mkdtemp(prefix="parlo-installed-")
    env = dict(os.environ)
    env.update(HOME=f"{profile}/home", XDG_DATA_HOME=f"{profile}/data", XDG_CONFIG_HOME=f"{profile}/config",
               XDG_CACHE_HOME=f"{profile}/cache", XDG_RUNTIME_DIR=f"{profile}/runtime",
               QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_ACCESSIBILITY="1")
    for d in ("home", "data", "config", "cache", "runtime"):
        os.makedirs(f"{profile}/{d}", exist_ok=True)
    os.chmod(f"{profile}/runtime", 0o700)

    bus = subprocess.Popen(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"], env=env)
    ask = ["dbus-send", "--session", "--dest=org.a11y.Bus", "--print-reply", "/org/a11y/bus", "org.a11y.Bus.GetAddress"]
    if not a11y.wait_for(lambda: subprocess.run(ask, env=env, capture_output=True).returncode == 0, 60):
        a11y.fail("the AT-SPI bus never came up")
    app_proc = subprocess.Popen([parlo], env=env, cwd=os.path.dirname(profile))
    try:
        app = a11y.find_app(90, app_proc)
        if app is None and app_proc.poll() is not None:
            # Under load the X server can refuse the very first client; one more try.
            print(f"Parlo exited with {app_proc.returncode} before reaching the bus; starting it again")
            time.sleep(2)
            app_proc = subprocess.Popen([parlo], env=env, cwd=os.path.dirname(profile))
            app = a11y.find_app(90, app_proc)
        if app is None:
            a11y.fail(f"Parlo never appeared on the accessibility bus (exit code {app_proc.poll()})")
        frame = a11y.frame_of(app)
        if frame is None:
            a11y.fail("no window on the accessibility bus")
        print("step: the window is up")

        # An empty profile shows the first-run page; its button opens the settings.
        add = wait_node(frame, "the first-run page's 'Add a folder' button",
                        lambda n: n.getRoleName() == "push button" and n.name == "Add a models folder in the settings")
        press(add, "'Add a folder'")
        models_tab = wait_node(frame, "the settings' Models tab",
                               lambda n: n.getRoleName() == "page tab" and n.name == "Models")
        press(models_tab, "the Models tab")
        add_folder = wait_node(frame, "the settings' 'Add folder' button",
                               lambda n: n.getRoleName() == "push button" and n.name == "Add a models folder")
        print("step: the settings are open")
        press(add_folder, "'Add folder'")
        # Qt's own (non-native) folder dialog: its title, and the folders of its current folder,
        # which Qt.labs.folderlistmodel lists.
        wait_node(frame, "the folder dialog",
                  lambda n: "Choose a folder with GGUF models" in ((n.name or "") + a11y.text_of(n)))
        print("step: the folder dialog is open")
        # It lists the folders of its current folder (Qt.labs.folderlistmodel at work).
        wait_node(frame, "the folder dialog's Open button",
                  lambda n: n.getRoleName() == "push button" and (n.name or "") == "Open")
        wait_node(frame, "a folder in the folder dialog", lambda n: n.getRoleName() == "label"
                  and (n.name or "").startswith("parlo-installed-"))
        close = wait_node(frame, "the settings' Close button",
                          lambda n: n.getRoleName() == "push button" and (n.name or "").lower() in ("close", "done", "ok"))
        press(close, "the settings' Close")

        # Where a user puts GGUF files, then Rescan.
        models_dir = f"{profile}/data/parlo/models"
        os.makedirs(models_dir, exist_ok=True)
        shutil.copy(model, models_dir)
        rescan = wait_node(frame, "the Rescan button",
                           lambda n: n.getRoleName() == "push button" and n.name == "Scan the model folders again")
        press(rescan, "Rescan")
        picker = wait_node(frame, "the model picker", lambda n: n.getRoleName() == "push button"
                           and (n.name or "").startswith("Model:"))
        # stories260K calls itself "llama" (general.name); its list entry says so, with its size.
        press(picker, "the model picker")
        entry = wait_node(frame, "stories260K in the model list",
                          lambda n: n.getRoleName() == "list item" and (n.name or "").startswith("llama,"))
        press(entry, "the stories260K entry")
        wait_node(frame, "the loaded model", lambda n: n.getRoleName() == "push button"
                  and (n.name or "") == "Model: llama", 90)
        print("step: stories260K is loaded")

        message = wait_node(frame, "the message field", lambda n: n.getRoleName() == "text" and n.name == "Message"
                            and n.getState().contains(pyatspi.STATE_ENABLED), 60)
        type_into(message, "Once upon a time")
        send = wait_node(frame, "an enabled Send button", lambda n: n.getRoleName() == "push button"
                         and n.name == "Send message" and n.getState().contains(pyatspi.STATE_ENABLED))
        press(send, "Send")

        def answered(n):
            return n.getRoleName() == "list item" and (n.name or "").startswith("Answer from") \
                and len(" ".join(a11y.text_of(c) for c in a11y.walk(n)).strip()) > 0

        answer = wait_node(frame, "an answer with text", answered, 120)
        if not a11y.wait_for(lambda: named(frame, "push button", "Send message") is not None, 120):
            a11y.fail("the answer never finished")
        text = " ".join(a11y.text_of(c) for c in a11y.walk(answer)).strip()
        print(f"PASS: the installed Parlo answered: {text[:120]!r}")
        return 0
    finally:
        a11y.stop_session(app_proc, bus, profile)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: drive_installed_gui.py PARLO_EXECUTABLE MODEL.gguf")
        sys.exit(2)
    run = inner if os.environ.get("PARLO_DRIVE_INNER") else outer
    sys.exit(run(sys.argv[1], sys.argv[2]))
