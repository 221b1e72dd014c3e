import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1180
    height: 760
    minimumWidth: 720
    minimumHeight: 480
    visible: true
    title: chat.currentConversationId !== 0 ? chat.currentTitle + " — Parlo" : qsTr("Parlo")

    required property ChatController chat
    required property ModelController models
    required property AppSettings settings

    // Without a model the first-run page takes the chat's place, but an open conversation is
    // still shown: the history stays readable.
    readonly property bool showFirstRun: models.models.count === 0 && !models.scanning && chat.currentConversationId === 0

    color: Theme.window
    palette.window: Theme.window
    palette.windowText: Theme.text
    palette.base: Theme.raised
    palette.alternateBase: Theme.surface
    palette.text: Theme.text
    palette.button: Theme.surface
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.subtext
    palette.mid: Theme.border
    palette.dark: Theme.border
    palette.light: Theme.raised
    palette.midlight: Theme.surface
    palette.shadow: Theme.border
    palette.toolTipBase: Theme.raised
    palette.toolTipText: Theme.text
    palette.brightText: Theme.text
    palette.link: Theme.accent

    Binding { target: Theme; property: "dark"; value: window.settings.dark }

    function focusComposer() { composer.focusInput() }
    function focusSearch() { sidebar.focusSearch() }

    Shortcut { sequence: "Ctrl+N"; onActivated: { window.chat.newChat(); window.focusComposer() } }
    Shortcut { sequence: "Ctrl+K"; onActivated: window.focusSearch() }
    Shortcut { sequence: "Ctrl+L"; onActivated: window.focusComposer() }
    Shortcut { sequence: "Ctrl+,"; onActivated: settingsDialog.open() }
    Shortcut { sequence: "Esc"; enabled: window.chat.generating; onActivated: window.chat.stop() }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        Sidebar {
            id: sidebar
            Layout.fillHeight: true
            Layout.preferredWidth: 272
            chat: window.chat
            onSettingsRequested: settingsDialog.open()
            onConversationChosen: window.focusComposer()
        }

        Rectangle { Layout.fillHeight: true; width: 1; color: Theme.border }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            TopBar {
                Layout.fillWidth: true
                chat: window.chat
                models: window.models
            }

            FirstRunPage {
                visible: window.showFirstRun
                Layout.fillWidth: true
                Layout.fillHeight: true
                models: window.models
                onSettingsRequested: settingsDialog.open()
            }

            ChatView {
                id: chatView
                visible: !window.showFirstRun
                Layout.fillWidth: true
                Layout.fillHeight: true
                chat: window.chat
                models: window.models
                onEditRequested: (row, text) => composer.startEdit(row, text)
                onLinkClicked: (link) => linkDialog.ask(link)
            }

            Composer {
                id: composer
                visible: !window.showFirstRun
                Layout.fillWidth: true
                chat: window.chat
                models: window.models
            }

            StatusBar {
                Layout.fillWidth: true
                chat: window.chat
                models: window.models
            }
        }
    }

    LinkDialog { id: linkDialog }

    SettingsDialog {
        id: settingsDialog
        chat: window.chat
        models: window.models
        settings: window.settings
    }
}
